/**
 * The errors `@logto-kit/core` throws at run time.
 *
 * Every error is a {@link LogtoError} with a stable string `code`; each subclass also has a
 * `static code`, so `switch (error.code)` narrows an {@link AnyLogtoError}. Messages are short and
 * never contain a token, an authorization code, a PKCE verifier or a client secret; structured
 * details live in fields and the upstream error in `cause`. Programmer mistakes (a bad config, a
 * bad argument) are `TypeError`s instead, thrown where the mistake is made.
 *
 * @module
 */
import type { LogoutTokenError, SessionStoreUnavailableError } from './server-errors.js';

/**
 * Every code a {@link LogtoError} can carry.
 *
 * @example
 * ```ts
 * const code: LogtoErrorCode = 'provider.timeout';
 * ```
 */
export type LogtoErrorCode =
  | 'not_authenticated'
  | 'sign_in_session.not_found'
  | 'callback.invalid'
  | 'callback.provider_error'
  | 'id_token.signature'
  | 'id_token.claim'
  | 'userinfo.invalid'
  | 'oauth.invalid_grant'
  | 'oauth.error'
  | 'provider.unavailable'
  | 'provider.timeout'
  | 'provider.invalid_response'
  | 'organizations_scope_required'
  | 'access_token.opaque'
  | 'session_store.unavailable'
  | 'logout_token.invalid';

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
 * The callback's `state` matches no sign-in in flight (never started here, already completed,
 * or expired).
 *
 * @example
 * ```ts
 * if (error.code === 'sign_in_session.not_found') return redirect('/sign-in');
 * ```
 */
export class SignInSessionNotFoundError extends LogtoError {
  static readonly code = 'sign_in_session.not_found';
  readonly code = SignInSessionNotFoundError.code;
  override readonly clientSafe = true;
  constructor(
    message = 'No sign-in in progress matches this callback; it may have expired.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
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
  | 'issuer_mismatch';

/**
 * The callback URL is not a valid answer to the sign-in in flight.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidCallbackError && error.reason === 'redirect_uri_mismatch') …
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
 * if (error instanceof AuthorizationError && error.error === 'access_denied') …
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
 * The userinfo response is unusable (its `sub` is not the signed-in user, or it is malformed).
 *
 * @example
 * ```ts
 * if (error instanceof UserInfoError && error.reason === 'subject_mismatch') …
 * ```
 */
export class UserInfoError extends LogtoError {
  static readonly code = 'userinfo.invalid';
  readonly code = UserInfoError.code;
  readonly reason: 'subject_mismatch' | 'invalid_response';
  constructor(
    reason: 'subject_mismatch' | 'invalid_response',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * Fields shared by errors built from an OAuth error response body.
 *
 * @example
 * ```ts
 * new OAuthError({ error: 'invalid_target', status: 400 } satisfies OAuthErrorDetails);
 * ```
 */
export interface OAuthErrorDetails {
  /** The OAuth `error`, e.g. `invalid_target`. */
  error: string;
  /** The provider's `error_description`, if any. */
  errorDescription?: string | undefined;
  /** The HTTP status of the response. */
  status?: number | undefined;
  /** Logto's own code from the body, e.g. `oidc.invalid_target`. */
  logtoCode?: string | undefined;
}

/**
 * The refresh token (or authorization code) is no longer valid: it expired, was revoked, or was
 * already used. The user has to sign in again.
 *
 * @example
 * ```ts
 * if (error.code === 'oauth.invalid_grant') return redirect('/sign-in');
 * ```
 */
export class InvalidGrantError extends LogtoError {
  static readonly code = 'oauth.invalid_grant';
  readonly code = InvalidGrantError.code;
  override readonly clientSafe = true;
  readonly error = 'invalid_grant';
  readonly errorDescription: string | undefined;
  readonly status: number | undefined;
  constructor(details: Omit<OAuthErrorDetails, 'error'>, options?: { cause?: unknown }) {
    super('The grant is invalid or expired; sign in again.', options);
    this.errorDescription = details.errorDescription;
    this.status = details.status;
  }
}

/**
 * The provider answered a token, userinfo or revocation request with an OAuth error other than
 * `invalid_grant` (for example `invalid_target` for an unknown resource, or `access_denied` for
 * an organization the user is not a member of).
 *
 * @example
 * ```ts
 * if (error instanceof OAuthError && error.error === 'access_denied') return forbidden();
 * ```
 */
export class OAuthError extends LogtoError {
  static readonly code = 'oauth.error';
  readonly code = OAuthError.code;
  readonly error: string;
  readonly errorDescription: string | undefined;
  readonly status: number | undefined;
  readonly logtoCode: string | undefined;
  constructor(details: OAuthErrorDetails, options?: { cause?: unknown }) {
    super(`The provider rejected the request: ${details.error}.`, options);
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.status = details.status;
    this.logtoCode = details.logtoCode;
  }
}

/**
 * The provider could not be reached (connection refused, DNS failure, TLS error).
 *
 * @example
 * ```ts
 * if (error instanceof ProviderUnavailableError) return serviceUnavailable();
 * ```
 */
export class ProviderUnavailableError extends LogtoError {
  static readonly code = 'provider.unavailable';
  readonly code = ProviderUnavailableError.code;
  constructor(
    message = 'The identity provider could not be reached.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The provider did not answer within the configured timeout.
 *
 * @example
 * ```ts
 * if (error instanceof ProviderTimeoutError) return gatewayTimeout();
 * ```
 */
export class ProviderTimeoutError extends LogtoError {
  static readonly code = 'provider.timeout';
  readonly code = ProviderTimeoutError.code;
  constructor(
    message = 'The identity provider did not answer in time.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The provider answered with something this client cannot use (bad discovery document, issuer
 * mismatch, non-JSON body, unexpected status, missing endpoint).
 *
 * @example
 * ```ts
 * if (error instanceof ProviderResponseError) return badGateway();
 * ```
 */
export class ProviderResponseError extends LogtoError {
  static readonly code = 'provider.invalid_response';
  readonly code = ProviderResponseError.code;
  /** The HTTP status, when the problem is the response status. */
  readonly status: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number | undefined }) {
    super(message, options);
    this.status = options?.status;
  }
}

/**
 * An organization token was requested but the client is not configured with the
 * `urn:logto:scope:organizations` scope ({@link UserInfoScope.Organizations}).
 *
 * @example
 * ```ts
 * new LogtoClient({ …, scopes: [UserInfoScope.Organizations] }, { storage });
 * ```
 */
export class OrganizationsScopeRequiredError extends LogtoError {
  static readonly code = 'organizations_scope_required';
  readonly code = OrganizationsScopeRequiredError.code;
  constructor(
    message = 'Organization tokens need the `urn:logto:scope:organizations` scope (UserInfoScope.Organizations) in the client config.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Claims were requested for an opaque access token. The default access token (no resource) is
 * opaque in Logto; only API-resource and organization tokens are JWTs.
 *
 * @example
 * ```ts
 * await client.getAccessTokenClaims('https://api.example.com'); // not getAccessTokenClaims()
 * ```
 */
export class OpaqueAccessTokenError extends LogtoError {
  static readonly code = 'access_token.opaque';
  readonly code = OpaqueAccessTokenError.code;
  constructor(
    message = 'This access token is opaque and has no claims; request a token for an API resource or an organization.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Any error `@logto-kit/core` throws at run time, discriminated by `code`.
 *
 * @example
 * ```ts
 * function status(error: AnyLogtoError): number {
 *   switch (error.code) {
 *     case 'provider.unavailable':
 *     case 'provider.timeout':
 *       return 503;
 *     case 'not_authenticated':
 *     case 'oauth.invalid_grant':
 *       return 401;
 *     default:
 *       return 400;
 *   }
 * }
 * ```
 */
export type AnyLogtoError =
  | NotAuthenticatedError
  | SignInSessionNotFoundError
  | InvalidCallbackError
  | AuthorizationError
  | IdTokenSignatureError
  | IdTokenClaimError
  | UserInfoError
  | InvalidGrantError
  | OAuthError
  | ProviderUnavailableError
  | ProviderTimeoutError
  | ProviderResponseError
  | OrganizationsScopeRequiredError
  | OpaqueAccessTokenError
  | SessionStoreUnavailableError
  | LogoutTokenError;

/**
 * Whether `value` is an error thrown by `@logto-kit/core`, narrowed to {@link AnyLogtoError}.
 *
 * @example
 * ```ts
 * if (isLogtoError(error) && error.code === 'provider.timeout') retryLater();
 * ```
 */
export function isLogtoError(value: unknown): value is AnyLogtoError {
  return value instanceof LogtoError;
}
