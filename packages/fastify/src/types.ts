import type { IdTokenClaims, LogtoClient, UserInfo } from '@logto-kit/core';

/**
 * What `authenticated()` puts on `request.user`: the ID token claims (no network), or the
 * userinfo with `fetchUserInfo`.
 *
 * @example
 * const greet = (user: LogtoUser) => `Hi ${user.name ?? user.sub}`;
 */
export interface LogtoUser extends Partial<IdTokenClaims>, Partial<UserInfo> {
  sub: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user's Logto client for this request (tokens, claims, userinfo). */
    logto: LogtoClient;
    /**
     * Set by `authenticated()`; `null` on a route it does not guard. `@fastify/jwt` declares
     * `request.user` too: an app using both reads Logto's user with `logtoUser(request)`.
     */
    user: LogtoUser | null;
  }
}
