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
 * The signed-in user, for this request. Every method reads the current cookies; a refresh it
 * makes is written back with `cookies().set()` in a Server Action or Route Handler, and — in a
 * Server Component, which cannot set cookies — handed to the next request's proxy, so the
 * rotated refresh token is never lost. With the proxy running (`logto.proxy()`), tokens the
 * session holds are refreshed before the render and a Server Component finds them fresh.
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
      withRequest(web, (request) => request.client.getAccessToken(resource, options)),
    getAccessTokenClaims: (resource, options) =>
      withRequest(web, (request) => request.client.getAccessTokenClaims(resource, options)),
    getOrganizationToken: (organizationId) =>
      withRequest(web, (request) => request.client.getOrganizationToken(organizationId)),
    getOrganizationTokenClaims: (organizationId) =>
      withRequest(web, (request) => request.client.getOrganizationTokenClaims(organizationId)),
  };
}
