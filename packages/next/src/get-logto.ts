/**
 * `getLogto()`: the signed-in user in Server Components, Server Actions and Route Handlers.
 *
 * @module
 */
import type {
  AccessTokenClaims,
  AccessTokenOptions,
  IdTokenClaims,
  LogtoWeb,
  UserInfo,
} from '@logto-kit/core';
import { withRequest } from './deliver.js';

/**
 * The signed-in user, for this request. Every method reads the current cookies. In a Server
 * Action or Route Handler a refresh is made and written back with `cookies().set()`, and errors
 * are thrown. In a Server Component, which cannot set cookies, the proxy (`logto.proxy()`) has
 * already refreshed what is due and fetched the configured tokens; a refresh still needed is
 * never spent there with cookie sessions — the browser goes through the refresh route and comes
 * back (with `session.store`, the render refreshes and the store keeps it) — and an ended
 * session or an outage becomes a redirect to sign-in or to a "Try again" page, not a 500.
 */
export interface LogtoSession {
  /** Whether a user is signed in (no network while the ID token is valid). */
  isAuthenticated(): Promise<boolean>;
  /** The ID token claims, or `undefined` when nobody is signed in. */
  getClaims(): Promise<IdTokenClaims | undefined>;
  /** The userinfo (`/oidc/me`, one network call), or `undefined` when nobody is signed in. */
  fetchUserInfo(): Promise<UserInfo | undefined>;
  /** An access token: the default one, an API resource's, or organization-scoped with `organizationId`. */
  getAccessToken(resource?: string, options?: AccessTokenOptions): Promise<string>;
  /** The claims of a JWT access token (API resource or organization). */
  getAccessTokenClaims(resource?: string, options?: AccessTokenOptions): Promise<AccessTokenClaims>;
  /** An organization token (`urn:logto:organization:<id>` audience). */
  getOrganizationToken(organizationId: string): Promise<string>;
  /** The claims of an organization token. */
  getOrganizationTokenClaims(organizationId: string): Promise<AccessTokenClaims>;
}

/**
 * The signed-in user's session for this request.
 *
 * @example
 * ```ts
 * const session = getLogto(web);
 * const claims = await session.getClaims();
 * ```
 */
export function getLogto(web: LogtoWeb<Request>): LogtoSession {
  return {
    isAuthenticated: () => withRequest(web, (request) => request.isAuthenticated()),
    getClaims: () => withRequest(web, (request) => request.signedInClaims()),
    fetchUserInfo: () =>
      withRequest(
        web,
        async (request) => (await request.user({ fetchUserInfo: true })) as UserInfo | undefined,
      ),
    getAccessToken: (resource, options) =>
      withRequest(web, (request) => request.client.getAccessToken(resource, options), {
        resource,
        organizationId: options?.organizationId,
      }),
    getAccessTokenClaims: (resource, options) =>
      withRequest(web, (request) => request.client.getAccessTokenClaims(resource, options), {
        resource,
        organizationId: options?.organizationId,
      }),
    getOrganizationToken: (organizationId) =>
      withRequest(web, (request) => request.client.getOrganizationToken(organizationId), {
        organizationId,
      }),
    getOrganizationTokenClaims: (organizationId) =>
      withRequest(web, (request) => request.client.getOrganizationTokenClaims(organizationId), {
        organizationId,
      }),
  };
}
