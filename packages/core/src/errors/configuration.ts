/**
 * Errors that mean this app is misconfigured: the provider does not accept its credentials, or
 * the configured endpoint is not the provider it claims to be. A user cannot fix them; the web
 * integrations answer 500 ("this app is misconfigured, see the server log") and the default
 * logger says what to change.
 *
 * @module
 */
import { LogtoError } from './base.js';
import type { OAuthErrorDetails } from './provider.js';

/**
 * The provider refused the app itself: `invalid_client` (a wrong app ID or secret, or an app
 * that is not a Traditional web app) or `unauthorized_client` (the app may not use this grant).
 * `error` says which.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidClientError) console.error('check LOGTO_APP_ID / LOGTO_APP_SECRET');
 * ```
 */
export class InvalidClientError extends LogtoError {
  static readonly code = 'oauth.invalid_client';
  readonly code = InvalidClientError.code;
  /** `invalid_client` or `unauthorized_client`. */
  readonly error: string;
  readonly errorDescription: string | undefined;
  readonly status: number | undefined;
  readonly logtoCode: string | undefined;
  constructor(details: OAuthErrorDetails, options?: { cause?: unknown }) {
    super(`The provider refused this app's credentials: ${details.error}.`, options);
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.status = details.status;
    this.logtoCode = details.logtoCode;
  }
}

/**
 * The discovery document names another issuer than `<endpoint>/oidc`: the configured endpoint
 * is not the tenant's URL as the provider knows it (another host name, port or path).
 *
 * @example
 * ```ts
 * if (error instanceof IssuerMismatchError) console.error(`use ${error.actual} as the issuer`);
 * ```
 */
export class IssuerMismatchError extends LogtoError {
  static readonly code = 'discovery.issuer_mismatch';
  readonly code = IssuerMismatchError.code;
  /** The issuer the configured endpoint implies. */
  readonly expected: string;
  /** The issuer the provider announced. */
  readonly actual: string;
  constructor(expected: string, actual: string, options?: { cause?: unknown }) {
    super(
      `The discovered issuer ${actual} does not match the configured endpoint (expected ${expected}).`,
      options,
    );
    this.expected = expected;
    this.actual = actual;
  }
}
