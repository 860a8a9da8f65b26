// @logto-kit/core — what an application (or a framework adapter) uses. What a session-store
// implementer needs is in `@logto-kit/core/store`; everything else is internal. The public
// surface is recorded in api/ (npm run api:update) and checked by scripts/api-report.test.ts.

// The client: the seed's LogtoClient over any storage.
export type { AccessTokenClaims, IdTokenClaims, UserInfo } from './claims.js';
export { type AccessTokenOptions, LogtoClient, type LogtoClientOptions } from './client.js';
export {
  DEFAULT_CLOCK_TOLERANCE,
  DEFAULT_TIMEOUT,
  type FetchFunction,
  type LogtoClientConfig,
  type LogtoConfig,
} from './config.js';
// The web protocol: what every framework adapter translates.
export type { ErrorResponse } from './errors/codes.js';
// Errors: one family, discriminated by `code`.
export {
  AccessDeniedError,
  AccessTokenError,
  AfterCallbackError,
  type AnyLogtoError,
  AuthorizationError,
  type BearerErrorCode,
  IdTokenClaimError,
  type IdTokenClaimReason,
  IdTokenSignatureError,
  type IdTokenSignatureReason,
  InsufficientScopeError,
  InvalidAccessTokenError,
  InvalidBearerRequestError,
  InvalidCallbackError,
  type InvalidCallbackReason,
  InvalidClientError,
  InvalidGrantError,
  IssuerMismatchError,
  isLogtoError,
  LogoutTokenError,
  type LogoutTokenErrorReason,
  LogtoError,
  type LogtoErrorCode,
  MissingAccessTokenError,
  NotAuthenticatedError,
  NotAuthorizedError,
  OAuthError,
  type OAuthErrorDetails,
  OpaqueAccessTokenError,
  OrganizationsScopeRequiredError,
  ProviderResponseError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RefreshDeferredError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SignInRefusedError,
  SignInSessionNotFoundError,
  SignInTransactionNotFoundError,
  SignOutIncompleteError,
  UserInfoError,
} from './errors.js';
export { defaultLogger, type LevelLogger, type Logger } from './logger.js';
// Machine-to-machine: client-credentials tokens for backend jobs.
export { type MachineTokenRequest, MachineTokens } from './machine-tokens.js';
export type { RefreshLock, ReleaseLock } from './refresh/index.js';
// Resource servers: verifying Logto access tokens sent to your API.
export type { AccessTokenAuth } from './resource-server/access-token-auth.js';
export { AccessTokenVerifier } from './resource-server/access-token-verifier.js';
export { readBearerToken } from './resource-server/bearer.js';
export type { RequireAccessTokenOptions } from './resource-server/options.js';
export {
  buildOrganizationUrn,
  getOrganizationIdFromUrn,
  ReservedResource,
  UserInfoScope,
} from './scopes.js';
// Sessions of the web integrations.
export type { CookieBudget } from './session/budget.js';
export type { SessionSecret } from './session/keys.js';
export {
  MemorySessionStore,
  type MemorySessionStoreOptions,
  type SessionStore,
} from './session/store.js';
export {
  type DirectSignInOptions,
  FirstScreen,
  type InteractionMode,
  SignInIdentifier,
  type SignInOptions,
} from './sign-in.js';
export { MemoryStorage, type Storage, type StorageKey } from './storage.js';
export {
  AccessTokenGuard,
  type AccessTokenRequest,
  type AccessTokenResult,
} from './web/access-token-guard.js';
export { redirectForError } from './web/error-redirect.js';
export { LogtoRequest } from './web/logto-request.js';
export { LogtoWeb } from './web/logto-web.js';
export type {
  LogtoRoutes,
  LogtoWebOptions,
  WebSessionOptions,
  WebSignInOptions,
} from './web/options.js';
export type { WebBody } from './web/read-form.js';
export type { RefreshAheadOptions } from './web/refresh-ahead.js';
export {
  type BackchannelLogoutOptions,
  MemoryReplayCache,
  type ReplayCache,
} from './web/replay-cache.js';
export type {
  AuthorizationRules,
  Finish,
  GuardOptions,
  GuardResult,
  WebRequestInit,
} from './web/request-types.js';
export { toFetchResponse, type WebResponse } from './web/web-response.js';
