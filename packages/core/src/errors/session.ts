/**
 * Errors of keeping sessions: a shared session store that cannot be reached, a session too
 * large for cookies, a sign-out the provider could not complete, and a back-channel logout
 * token that is refused.
 *
 * @module
 */
import { LogtoError } from './base.js';

/**
 * The shared session store (Redis, …) or the cross-instance refresh lock could not be reached
 * or did not answer in time. The request fails closed: it is neither treated as signed out nor
 * served with a guessed session. The web integrations answer 503; a later request succeeds by
 * itself once the store is back.
 *
 * @example
 * ```ts
 * try {
 *   await store.get(id);
 * } catch (error) {
 *   if (error instanceof SessionStoreUnavailableError) return serviceUnavailable();
 *   throw error;
 * }
 * ```
 */
export class SessionStoreUnavailableError extends LogtoError {
  static readonly code = 'session_store.unavailable';
  readonly code = SessionStoreUnavailableError.code;
  constructor(
    message = 'The session store is unavailable; try again shortly.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A refresh was needed where its result could not be kept: a step that cannot send cookies (a
 * Next.js Server Component) with cookie sessions. The refresh token was not spent — another
 * instance holding the same cookie would replay it, and a provider with strict rotation then
 * revokes the grant. The integration hands the refresh to a place that can send cookies (the
 * Next.js adapter redirects through its refresh route); a web integration that meets it
 * unhandled answers 503 ("try again"). `target` says which token was asked for.
 *
 * @example
 * ```ts
 * if (error instanceof RefreshDeferredError) redirect(`/auth/refresh?returnTo=${path}`);
 * ```
 */
export class RefreshDeferredError extends LogtoError {
  static readonly code = 'session.refresh_deferred';
  readonly code = RefreshDeferredError.code;
  /** The token the step asked for: an API resource, an organization, or neither (the default). */
  readonly target: { readonly resource?: string; readonly organizationId?: string };
  constructor(target: { resource?: string | undefined; organizationId?: string | undefined }) {
    super(
      'A token refresh is needed, but this step cannot send cookies: it was left to a step that can.',
    );
    this.target = Object.freeze({
      ...(target.resource !== undefined && { resource: target.resource }),
      ...(target.organizationId !== undefined && { organizationId: target.organizationId }),
    });
  }
}

/**
 * Why a back-channel logout request was refused.
 * - `malformed`: no `logout_token`, or not a signed JWT;
 * - `signature`: not signed by the provider (unknown key, bad signature, algorithm not allowed);
 * - `claim`: `iss`, `aud`, `iat`, `exp`, `events`, `sid`/`sub`, `jti` or `nonce` is wrong;
 * - `replayed`: this `jti` was already processed;
 * - `unsupported`: this app cannot end the session (cookie sessions, or a token with `sub`
 *   only when the store can only find sessions by `sid`).
 *
 * @example
 * ```ts
 * const reason: LogoutTokenErrorReason = 'replayed';
 * ```
 */
export type LogoutTokenErrorReason =
  | 'malformed'
  | 'signature'
  | 'claim'
  | 'replayed'
  | 'unsupported';

/**
 * A back-channel logout token was refused (OpenID Connect Back-Channel Logout 1.0 §2.6). The
 * web integrations answer `400` with `{ "error": "invalid_request", "error_description": … }`.
 * Client safe: the message only names what was wrong, never the token.
 *
 * @example
 * ```ts
 * if (error instanceof LogoutTokenError && error.reason === 'replayed') log('replay refused');
 * ```
 */
export class LogoutTokenError extends LogtoError {
  static readonly code = 'logout_token.invalid';
  readonly code = LogoutTokenError.code;
  override readonly clientSafe = true;
  readonly reason: LogoutTokenErrorReason;
  /** The claim that failed, for `reason: 'claim'`. */
  readonly claim: string | undefined;
  constructor(
    reason: LogoutTokenErrorReason,
    message: string,
    options?: { cause?: unknown; claim?: string },
  ) {
    super(message, options);
    this.reason = reason;
    this.claim = options?.claim;
  }
}

/**
 * A session does not fit in its cookies even after every cached access token was left out
 * (usually a very large ID token). Keeping it would need more cookie room than browsers and
 * proxies allow: configure a server-side session store. A misconfiguration, so the web
 * integrations answer 500.
 *
 * @example
 * ```ts
 * try {
 *   const { cookies } = await request.finish(response.status);
 * } catch (error) {
 *   if (error instanceof SessionTooLargeError) logger.error('configure a SessionStore');
 *   throw error;
 * }
 * ```
 */
export class SessionTooLargeError extends LogtoError {
  static readonly code = 'session_too_large';
  readonly code = SessionTooLargeError.code;
  constructor(
    message = 'The session does not fit in cookies even without cached access tokens; configure a server-side session store.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A sign-out that ended the session in this app but could not reach the provider (its discovery
 * failed: unreachable, slow or broken), so the user's session at the provider may still be
 * active. The cause is the provider error. The web integrations answer 503 with a page that says
 * both: signed out here, sign out again later to end the provider's session too.
 *
 * @example
 * ```ts
 * if (error instanceof SignOutIncompleteError) console.warn('signed out locally only', error.cause);
 * ```
 */
export class SignOutIncompleteError extends LogtoError {
  static readonly code = 'sign_out.incomplete';
  readonly code = SignOutIncompleteError.code;
  constructor(
    message = 'Signed out locally; the provider could not be reached to end its session.',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
