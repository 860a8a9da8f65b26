/**
 * {@link LogtoError}, the base class of the family.
 *
 * @module
 */
import type { LogtoErrorCode } from './codes.js';

/**
 * The base class of every error `@logto-kit/core` throws at run time.
 *
 * @example
 * ```ts
 * try {
 *   await client.handleSignInCallback(url);
 * } catch (error) {
 *   if (error instanceof LogtoError && error.clientSafe) showToUser(error.message);
 *   else throw error;
 * }
 * ```
 */
export abstract class LogtoError extends Error {
  /** A stable identifier of what went wrong. */
  abstract readonly code: LogtoErrorCode;
  /**
   * Whether `message` may be shown to the end user as is. Errors that are not client safe
   * describe provider or configuration problems; show a generic message for them.
   */
  readonly clientSafe: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
