/**
 * The errors `@logto-kit/core` throws at run time: one family, one code table.
 *
 * Every error is a {@link LogtoError} with a stable string `code`; each subclass also has a
 * `static code`, so `switch (error.code)` narrows an {@link AnyLogtoError}. Messages are short and
 * never contain a token, an authorization code, a PKCE verifier or a client secret; structured
 * details live in fields and the upstream error in `cause`. Programmer mistakes (a bad config, a
 * bad argument) are `TypeError`s instead, thrown where the mistake is made.
 *
 * This file is the only entry; the classes live by area:
 *
 * | file                  | what                                                            |
 * | --------------------- | --------------------------------------------------------------- |
 * | `errors/codes.ts`     | the code table: every code, its class, HTTP status and message  |
 * | `errors/base.ts`      | `LogtoError`                                                    |
 * | `errors/sign-in.ts`   | no user, a callback that matches no sign-in, ID token checks    |
 * | `errors/provider.ts`  | OAuth errors, an unreachable or unusable provider, token asks   |
 * | `errors/configuration.ts` | the provider refuses the app, or the endpoint is not its own |
 * | `errors/session.ts`   | session store down, session too large, logout token refused     |
| `errors/access-token.ts` | a resource server refusing a bearer token (RFC 6750)        |
 *
 * @module
 */
import type {
  InsufficientScopeError,
  InvalidAccessTokenError,
  InvalidBearerRequestError,
  MissingAccessTokenError,
} from './errors/access-token.js';
import { LogtoError } from './errors/base.js';
import type { InvalidClientError, IssuerMismatchError } from './errors/configuration.js';
import type {
  AccessDeniedError,
  InvalidGrantError,
  OAuthError,
  OpaqueAccessTokenError,
  OrganizationsScopeRequiredError,
  ProviderResponseError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  UserInfoError,
} from './errors/provider.js';
import type {
  LogoutTokenError,
  RefreshDeferredError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SignOutIncompleteError,
} from './errors/session.js';
import type {
  AfterCallbackError,
  AuthorizationError,
  IdTokenClaimError,
  IdTokenSignatureError,
  InvalidCallbackError,
  NotAuthenticatedError,
  NotAuthorizedError,
  SignInRefusedError,
  SignInTransactionNotFoundError,
} from './errors/sign-in.js';

export {
  AccessTokenError,
  type BearerErrorCode,
  InsufficientScopeError,
  InvalidAccessTokenError,
  InvalidBearerRequestError,
  MissingAccessTokenError,
} from './errors/access-token.js';
export type { LogtoErrorCode } from './errors/codes.js';
export { InvalidClientError, IssuerMismatchError } from './errors/configuration.js';
export {
  AccessDeniedError,
  InvalidGrantError,
  OAuthError,
  type OAuthErrorDetails,
  OpaqueAccessTokenError,
  OrganizationsScopeRequiredError,
  ProviderResponseError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  UserInfoError,
} from './errors/provider.js';
export {
  LogoutTokenError,
  type LogoutTokenErrorReason,
  RefreshDeferredError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SignOutIncompleteError,
} from './errors/session.js';
export {
  AfterCallbackError,
  AuthorizationError,
  IdTokenClaimError,
  type IdTokenClaimReason,
  IdTokenSignatureError,
  type IdTokenSignatureReason,
  InvalidCallbackError,
  type InvalidCallbackReason,
  NotAuthenticatedError,
  NotAuthorizedError,
  SignInRefusedError,
  SignInSessionNotFoundError,
  SignInTransactionNotFoundError,
} from './errors/sign-in.js';
export { LogtoError };

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
  | NotAuthorizedError
  | SignInTransactionNotFoundError
  | SignInRefusedError
  | AfterCallbackError
  | InvalidCallbackError
  | AuthorizationError
  | IdTokenSignatureError
  | IdTokenClaimError
  | UserInfoError
  | InvalidGrantError
  | AccessDeniedError
  | InvalidClientError
  | IssuerMismatchError
  | OAuthError
  | ProviderUnavailableError
  | ProviderTimeoutError
  | ProviderResponseError
  | OrganizationsScopeRequiredError
  | OpaqueAccessTokenError
  | SessionStoreUnavailableError
  | RefreshDeferredError
  | SessionTooLargeError
  | SignOutIncompleteError
  | LogoutTokenError
  | MissingAccessTokenError
  | InvalidBearerRequestError
  | InvalidAccessTokenError
  | InsufficientScopeError;

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
