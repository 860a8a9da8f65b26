/**
 * The code table: every {@link LogtoErrorCode}, the error class that carries it, and how a web
 * integration answers it (HTTP status, and a title and message safe to show anyone). Adding a
 * code means adding a row here, so no code goes without a status.
 *
 * Statuses by meaning: 400/401 for what a user or a stale link did, 403 for a refusal about the
 * user's rights, 502/503/504 for a provider (or shared store) that is failing, unreachable or
 * slow, 500 for a misconfiguration of the app (its page says to look in the server log, where
 * the default logger explains what to change).
 *
 * @module
 */

/**
 * How a web integration answers an error: status, and a short text safe to show anyone.
 *
 * @example
 * ```ts
 * const { status, title, message }: ErrorResponse = errorResponse(error);
 * ```
 */
export interface ErrorResponse {
  status: 400 | 401 | 403 | 500 | 502 | 503 | 504;
  title: string;
  message: string;
}

/**
 * Every code, what it means (the comment names the class), and its {@link ErrorResponse}.
 *
 * @example
 * ```ts
 * logtoErrorCodes['provider.timeout'].status; // 504
 * ```
 */
export const logtoErrorCodes = Object.freeze({
  /** {@link NotAuthenticatedError}: nobody is signed in (no ID token, or no refresh token). */
  not_authenticated: {
    status: 401,
    title: 'Not signed in',
    message: 'Please sign in to continue.',
  },
  /** {@link NotAuthorizedError}: signed in, but an `authenticated()` rule says no. */
  not_authorized: {
    status: 403,
    title: 'No access',
    message: 'Your account is not allowed to see this. Ask an administrator if it should.',
  },
  /**
   * {@link SignInTransactionNotFoundError}: the callback's `state` matches no sign-in
   * transaction (never started here, already completed, or expired). The code is the one
   * Logto's JavaScript SDK uses, hence `sign_in_session`.
   */
  'sign_in_session.not_found': {
    status: 400,
    title: 'Sign-in expired',
    message:
      'This sign-in link is no longer valid (it was already used, it expired, or the page was opened twice). Please sign in again.',
  },
  /** {@link InvalidCallbackError}: the callback URL is not a valid answer to the sign-in. */
  'callback.invalid': {
    status: 400,
    title: 'Sign-in failed',
    message: 'The sign-in response was not valid. Please sign in again.',
  },
  /** {@link SignInRefusedError}: the app's `afterCallback` refused the user. */
  'sign_in.refused': {
    status: 403,
    title: 'Sign-in refused',
    message: 'This account is not allowed to sign in to this app.',
  },
  /** {@link AfterCallbackError}: the app's `afterCallback` failed (the cause is logged). */
  'sign_in.after_callback_failed': {
    status: 500,
    title: 'Sign-in failed',
    message: 'Something went wrong while completing the sign-in. Please try again later.',
  },
  /** {@link AuthorizationError}: the provider redirected back with an OAuth `error`. */
  'callback.provider_error': {
    status: 400,
    title: 'Sign-in was not completed',
    message: 'The identity provider did not complete the sign-in. Please try again.',
  },
  /** {@link IdTokenSignatureError}: an ID token not signed by the provider's keys. */
  'id_token.signature': {
    status: 502,
    title: 'Sign-in failed',
    message: 'The identity provider sent a token that could not be verified.',
  },
  /** {@link IdTokenClaimError}: an ID token claim failed validation. */
  'id_token.claim': {
    status: 400,
    title: 'Sign-in failed',
    message: 'The sign-in response did not match this sign-in. Please sign in again.',
  },
  /** {@link UserInfoError}: the userinfo response is about someone else, or malformed. */
  'userinfo.invalid': {
    status: 502,
    title: 'Profile unavailable',
    message: 'The identity provider returned an invalid profile.',
  },
  /** {@link InvalidGrantError}: the refresh token or code expired, was revoked or used. */
  'oauth.invalid_grant': {
    status: 401,
    title: 'Session ended',
    message: 'Your session has ended. Please sign in again.',
  },
  /** {@link AccessDeniedError}: the provider refused the user (e.g. not an organization member). */
  'oauth.access_denied': {
    status: 403,
    title: 'No access',
    message: 'Your account does not have access to this. Ask an administrator if it should.',
  },
  /** {@link InvalidClientError}: the provider refused the app's credentials or grant. */
  'oauth.invalid_client': {
    status: 500,
    title: 'This app is misconfigured',
    message:
      'Sign-in cannot work until the app is configured correctly. The server log says what to change.',
  },
  /** {@link IssuerMismatchError}: the configured endpoint is not the provider's own URL. */
  'discovery.issuer_mismatch': {
    status: 500,
    title: 'This app is misconfigured',
    message:
      'Sign-in cannot work until the app is configured correctly. The server log says what to change.',
  },
  /** {@link OAuthError}: any other OAuth error from the token, userinfo or revocation endpoint. */
  'oauth.error': {
    status: 502,
    title: 'Identity provider error',
    message: 'The identity provider refused the request.',
  },
  /** {@link ProviderUnavailableError}: the provider could not be reached. */
  'provider.unavailable': {
    status: 503,
    title: 'Identity provider unreachable',
    message: 'The identity provider cannot be reached right now. Please try again shortly.',
  },
  /** {@link ProviderTimeoutError}: the provider did not answer within the timeout. */
  'provider.timeout': {
    status: 504,
    title: 'Identity provider not answering',
    message: 'The identity provider did not answer in time. Please try again shortly.',
  },
  /** {@link ProviderResponseError}: the provider answered with something unusable. */
  'provider.invalid_response': {
    status: 502,
    title: 'Identity provider error',
    message: 'The identity provider sent an invalid response.',
  },
  /** {@link OrganizationsScopeRequiredError}: an organization token without the scope. */
  organizations_scope_required: {
    status: 500,
    title: 'This app is misconfigured',
    message:
      'This app is not configured to request organization tokens. The server log says what to change.',
  },
  /** {@link OpaqueAccessTokenError}: claims asked of an opaque access token. */
  'access_token.opaque': {
    status: 500,
    title: 'This app is misconfigured',
    message: 'This access token cannot be read as a JWT. The server log says what to change.',
  },
  /** {@link MissingAccessTokenError}: an API request without Bearer credentials (none, or another scheme). */
  'access_token.missing': {
    status: 401,
    title: 'Not authenticated',
    message: 'This API needs a bearer access token.',
  },
  /** {@link InvalidBearerRequestError}: a malformed `Bearer` `Authorization` header. */
  'access_token.invalid_request': {
    status: 400,
    title: 'Bad request',
    message: 'The Authorization header is not a single Bearer token.',
  },
  /** {@link InvalidAccessTokenError}: a bearer token that is not valid for this API. */
  'access_token.invalid': {
    status: 401,
    title: 'Invalid access token',
    message: 'The access token is not valid for this API.',
  },
  /** {@link InsufficientScopeError}: a valid bearer token without the rights the route needs. */
  'access_token.insufficient_scope': {
    status: 403,
    title: 'Insufficient scope',
    message: 'The access token does not grant what this API needs.',
  },
  /** {@link SessionStoreUnavailableError}: the shared session store or refresh lock is down. */
  'session_store.unavailable': {
    status: 503,
    title: 'Temporarily unavailable',
    message: 'Your session cannot be read right now. Please try again in a moment.',
  },
  /**
   * {@link RefreshDeferredError}: a refresh was needed where cookies cannot be sent (a Next.js
   * Server Component with cookie sessions); the integration normally redirects through its
   * refresh route, so this shows only when that was bypassed.
   */
  'session.refresh_deferred': {
    status: 503,
    title: 'Refreshing your session',
    message: 'Your session needs to be refreshed before this page can be shown. Please reload it.',
  },
  /** {@link SessionTooLargeError}: a session that fits in no cookie; use a session store. */
  session_too_large: {
    status: 500,
    title: 'This app is misconfigured',
    message: 'This session is too large to be kept in cookies. The server log says what to change.',
  },
  /** {@link SignOutIncompleteError}: signed out here; the provider could not be reached. */
  'sign_out.incomplete': {
    status: 503,
    title: 'Signed out of this app',
    message:
      'You are signed out of this app. The identity provider could not be reached, so you may still be signed in there: sign out again later to end that session too.',
  },
  /** {@link LogoutTokenError}: a back-channel logout token was refused. */
  'logout_token.invalid': {
    status: 400,
    title: 'Logout refused',
    message: 'The back-channel logout token was not accepted.',
  },
} as const satisfies Record<string, ErrorResponse>);

/**
 * Every code a {@link LogtoError} can carry: the keys of {@link logtoErrorCodes}.
 *
 * @example
 * ```ts
 * const code: LogtoErrorCode = 'provider.timeout';
 * ```
 */
export type LogtoErrorCode = keyof typeof logtoErrorCodes;
