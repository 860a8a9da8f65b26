/**
 * The shapes an adapter exchanges with a {@link LogtoRequest}: what it hands in, what the guard
 * decides, how a response ends.
 *
 * @module
 */
import type { IdTokenClaims, UserInfo } from '../claims.js';
import type { AnyLogtoError } from '../errors.js';
import type { WebBody } from './read-form.js';
import type { WebResponse } from './web-response.js';

/**
 * What an adapter hands core for one request. Nothing here is trusted for URLs: the request's
 * URL is the configured base URL plus the target's path and query, never `Host` or
 * `X-Forwarded-*`.
 *
 * @example
 * ```ts
 * const initOf = (incoming: Request): WebRequestInit<Request> => ({
 *   method: incoming.method,
 *   target: incoming.url, // an absolute URL counts by its path and query
 *   cookie: incoming.headers.get('cookie'),
 *   accept: incoming.headers.get('accept'),
 *   body: (native) => native.body, // the unread body stream
 *   native: incoming,
 * });
 * ```
 */
export interface WebRequestInit<Req = unknown> {
  method: string;
  /** The request target: a path with its query (`/callback?code=…`); an absolute URL or `*` counts by its path. */
  target: string;
  /** The `Cookie` header. */
  cookie?: string | null | undefined;
  /** The `Accept` header: `text/html` gets pages, anything else JSON. */
  accept?: string | null | undefined;
  /**
   * Reads the body from the framework's request (`native`); called only by the back-channel
   * logout route, which reads at most 64 KB. A module-level function: nothing is allocated per
   * request.
   */
  body?: ((native: Req) => WebBody) | undefined;
  /** The framework's own request, handed to `signInOptionsFor`. */
  native?: Req | undefined;
  /**
   * The cookies this request writes cannot reach the browser (a Next.js Server Component). With
   * cookie sessions a refresh it would need throws `RefreshDeferredError` instead of spending
   * the refresh token (whose successor would be lost, and replayed by the next request); with a
   * session store the refresh is made and kept in the store. A function is asked only when a
   * refresh is needed (a probe that costs something).
   */
  cookiesReadOnly?: boolean | (() => boolean) | undefined;
}

/**
 * Who may pass, beyond "signed in": every rule given must hold. A signed-in user who fails one
 * gets 403 (a page or JSON), never a sign-in redirect. Also what a path rule of the Next.js
 * proxy takes.
 *
 * @example
 * ```ts
 * const rules: AuthorizationRules = { roles: ['admin'], organization: 'acme' };
 * ```
 */
export interface AuthorizationRules {
  /** Global roles the user must all have (the ID token's `roles`; request the `roles` scope). */
  roles?: readonly string[] | undefined;
  /** An organization the user must be a member of (`organizations`). */
  organization?: string | undefined;
  /** Roles the user must all have in `organization` (`organization_roles`). */
  organizationRoles?: readonly string[] | undefined;
  /** Scopes the user's access token for `resource` must all grant. */
  scopes?: readonly string[] | undefined;
  /** The API resource of `scopes`; default the first one configured. */
  resource?: string | undefined;
  /** The app's own rule, after the others. */
  check?: ((user: IdTokenClaims | UserInfo) => boolean | Promise<boolean>) | undefined;
}

/**
 * What `authenticated()` options ask of the guard, as the seed's decorator, plus who may pass
 * ({@link AuthorizationRules}).
 *
 * @example
 * ```ts
 * const options: GuardOptions = { shouldRedirect: true, fetchUserInfo: true };
 * ```
 */
export interface GuardOptions extends AuthorizationRules {
  /** Send a signed-out visitor of a page to sign-in (and back after); otherwise 401 JSON. */
  shouldRedirect?: boolean | undefined;
  /** The userinfo (`/oidc/me`, one network call) instead of the ID token claims. */
  fetchUserInfo?: boolean | undefined;
}

/**
 * The guard's decision: the user, or the response
 * to send instead — a redirect to sign-in, a 401, or an error page. An error page comes with
 * the `LogtoError` it shows (`not_authorized` for a signed-in user who fails a rule, or a
 * provider failure), for a caller that cannot send a response and throws instead (a Next.js
 * Server Component).
 */
export type GuardResult =
  | { readonly user: IdTokenClaims | UserInfo }
  | { readonly response: WebResponse; readonly error?: AnyLogtoError | undefined };

/**
 * How a response ends: the `Set-Cookie` values to add, or — when the session could not be saved
 * (its store is down) and the response claimed a success — the response to send instead.
 */
export interface Finish {
  readonly cookies: readonly string[];
  readonly response?: WebResponse;
  /**
   * The error that put `response` in place, for an adapter whose step returns a value rather
   * than a response (a Next.js Route Handler or Server Action calling `getLogto()`): it throws
   * this instead of returning a success that was not saved.
   */
  readonly error?: unknown;
}
