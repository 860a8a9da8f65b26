/**
 * Errors of signing in: no signed-in user, a callback that matches no sign-in transaction or is
 * not a valid answer, the provider's refusal, and ID tokens that fail verification.
 *
 * @module
 */
import { LogtoError } from './base.js';

/**
 * There is no signed-in user (no ID token, or no refresh token when one is needed).
 *
 * @example
 * ```ts
 * if (error instanceof NotAuthenticatedError) return redirect('/sign-in');
 * ```
 */
export class NotAuthenticatedError extends LogtoError {
  static readonly code = 'not_authenticated';
  readonly code = NotAuthenticatedError.code;
  override readonly clientSafe = true;
  constructor(message = 'Not authenticated.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The callback's `state` matches no sign-in transaction (never started here, already completed,
 * or expired). Its code, `sign_in_session.not_found`, is the one Logto's JavaScript SDK uses for
 * the same case, so code written against it keeps working.
 *
 * @example
 * ```ts
 * if (error.code === 'sign_in_session.not_found') return redirect('/sign-in');
 * ```
 */
export class SignInTransactionNotFoundError extends LogtoError {
  static readonly code = 'sign_in_session.not_found';
  readonly code = SignInTransactionNotFoundError.code;
  override readonly clientSafe = true;
  constructor(
    message = 'No sign-in in progress matches this callback; it may have expired.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The former name of {@link SignInTransactionNotFoundError}: the same class.
 *
 * @deprecated Use {@link SignInTransactionNotFoundError}.
 * @example
 * ```ts
 * error instanceof SignInSessionNotFoundError; // same as instanceof SignInTransactionNotFoundError
 * ```
 */
export const SignInSessionNotFoundError: typeof SignInTransactionNotFoundError =
  SignInTransactionNotFoundError;
/**
 * The former name of {@link SignInTransactionNotFoundError}.
 *
 * @deprecated Use {@link SignInTransactionNotFoundError}.
 * @example
 * ```ts
 * const error: SignInSessionNotFoundError = new SignInTransactionNotFoundError();
 * ```
 */
export type SignInSessionNotFoundError = SignInTransactionNotFoundError;

/**
 * Thrown by an app's `afterCallback` to refuse a sign-in the provider accepted (a user who is not
 * allowed in this app). Nothing is saved; the web integrations answer 403 with `message` when
 * one is given (it is written for the user, so it is shown), otherwise a generic refusal.
 *
 * @example
 * ```ts
 * const afterCallback = ({ claims }: { claims: IdTokenClaims }) => {
 *   if (!claims.email?.endsWith('@example.com')) {
 *     throw new SignInRefusedError('Only example.com accounts can sign in here.');
 *   }
 * };
 * ```
 */
export class SignInRefusedError extends LogtoError {
  static readonly code = 'sign_in.refused';
  readonly code = SignInRefusedError.code;
  override readonly clientSafe = true;
  /** The app's own words for the user, shown on the 403 page; `undefined` for the default. */
  readonly userMessage: string | undefined;
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message ?? 'This sign-in was refused by the app.', options);
    this.userMessage = message;
  }
}

/**
 * An app's `afterCallback` threw something other than a {@link SignInRefusedError}: a bug in the
 * hook, or a service it called being down. Nothing is saved; the original error is the `cause`
 * (logged, never shown); the web integrations answer 500.
 *
 * @example
 * ```ts
 * if (error instanceof AfterCallbackError) console.error(error.cause);
 * ```
 */
export class AfterCallbackError extends LogtoError {
  static readonly code = 'sign_in.after_callback_failed';
  readonly code = AfterCallbackError.code;
  constructor(options?: { cause?: unknown }) {
    super('The afterCallback hook failed; the sign-in was not completed.', options);
  }
}

/**
 * Why a callback URL was rejected before anything was sent to the provider.
 *
 * @example
 * ```ts
 * const reason: InvalidCallbackReason = 'redirect_uri_mismatch';
 * ```
 */
export type InvalidCallbackReason =
  | 'invalid_url'
  | 'missing_state'
  | 'redirect_uri_mismatch'
  | 'missing_code'
  | 'issuer_mismatch'
  /** The provider refused the code: reused, expired, or its PKCE verifier does not match. */
  | 'code_rejected';

/**
 * The callback URL is not a valid answer to the sign-in in flight.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidCallbackError && error.reason === 'redirect_uri_mismatch') {
 *   // register `${baseUrl}/callback` in Logto, exactly
 * }
 * ```
 */
export class InvalidCallbackError extends LogtoError {
  static readonly code = 'callback.invalid';
  readonly code = InvalidCallbackError.code;
  override readonly clientSafe = true;
  readonly reason: InvalidCallbackReason;
  constructor(reason: InvalidCallbackReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * The provider redirected back with an OAuth `error` (for example `access_denied` when the user
 * cancelled).
 *
 * @example
 * ```ts
 * if (error instanceof AuthorizationError && error.error === 'access_denied') {
 *   // the user said no: show the home page, signed out
 * }
 * ```
 */
export class AuthorizationError extends LogtoError {
  static readonly code = 'callback.provider_error';
  readonly code = AuthorizationError.code;
  override readonly clientSafe = true;
  /** The OAuth `error` parameter. */
  readonly error: string;
  /** The provider's `error_description`, if any. */
  readonly errorDescription: string | undefined;
  constructor(error: string, errorDescription?: string, options?: { cause?: unknown }) {
    super(`The sign-in was not completed: ${error}.`, options);
    this.error = error;
    this.errorDescription = errorDescription;
  }
}

/**
 * Why an ID token's signature could not be verified.
 *
 * @example
 * ```ts
 * const reason: IdTokenSignatureReason = 'unknown_key';
 * ```
 */
export type IdTokenSignatureReason =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'ambiguous_key'
  | 'invalid_signature';

/**
 * An ID token is not signed by the provider's keys with an allowed algorithm.
 *
 * @example
 * ```ts
 * if (error instanceof IdTokenSignatureError) console.warn('rejected ID token:', error.reason);
 * ```
 */
export class IdTokenSignatureError extends LogtoError {
  static readonly code = 'id_token.signature';
  readonly code = IdTokenSignatureError.code;
  readonly reason: IdTokenSignatureReason;
  constructor(reason: IdTokenSignatureReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * Why an ID token claim was rejected.
 *
 * @example
 * ```ts
 * const reason: IdTokenClaimReason = 'expired';
 * ```
 */
export type IdTokenClaimReason =
  | 'missing'
  | 'invalid'
  | 'mismatch'
  | 'expired'
  | 'not_yet_valid'
  | 'changed';

/**
 * An ID token claim failed validation (`iss`, `aud`, `azp`, `exp`, `iat`, `sub`, `nonce`, …).
 *
 * @example
 * ```ts
 * if (error instanceof IdTokenClaimError) console.warn(`bad ${error.claim}: ${error.reason}`);
 * ```
 */
export class IdTokenClaimError extends LogtoError {
  static readonly code = 'id_token.claim';
  readonly code = IdTokenClaimError.code;
  /** The claim name, e.g. `iss`. */
  readonly claim: string;
  readonly reason: IdTokenClaimReason;
  constructor(
    claim: string,
    reason: IdTokenClaimReason,
    message = `The ID token "${claim}" claim is ${describeClaimReason(reason)}.`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.claim = claim;
    this.reason = reason;
  }
}

function describeClaimReason(reason: IdTokenClaimReason): string {
  switch (reason) {
    case 'missing':
      return 'missing';
    case 'invalid':
      return 'malformed';
    case 'mismatch':
      return 'not the expected value';
    case 'expired':
      return 'in the past';
    case 'not_yet_valid':
      return 'in the future';
    case 'changed':
      return 'different from the signed-in user';
  }
}

/**
 * A signed-in user who does not pass an `authenticated({ roles, organization, scopes, check })`
 * rule: the web integrations answer 403 (a page or JSON), never a redirect to sign in again.
 *
 * @example
 * ```ts
 * if (error instanceof NotAuthorizedError) console.log('signed in, but not allowed');
 * ```
 */
export class NotAuthorizedError extends LogtoError {
  static readonly code = 'not_authorized';
  readonly code = NotAuthorizedError.code;
  override readonly clientSafe = true;
  constructor(message = 'The signed-in user is not allowed to see this.') {
    super(message);
  }
}
