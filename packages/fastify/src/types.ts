import type { AccessTokenAuth, IdTokenClaims, LogtoClient, UserInfo } from '@logto-kit/core';

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

/**
 * `request.user` as `authenticated()` sets it, inherited rather than declared: a plugin that
 * declares `request.user` itself (`@fastify/jwt`, `@auth0/auth0-fastify-api`) keeps its own type
 * with no conflict, and `logtoUser(request)` reads Logto's user there.
 */
interface LogtoUserField {
  /** Set by `authenticated()`; `null` on a route it does not guard. */
  user: LogtoUser | null;
}

/** `request.auth` as `requireAccessToken()` sets it, inherited for the same reason. */
interface LogtoAuthField {
  /** The verified access token, set by `requireAccessToken()`; absent on other routes. */
  auth?: AccessTokenAuth;
}

declare module 'fastify' {
  interface FastifyRequest extends LogtoUserField, LogtoAuthField {
    /** The signed-in user's Logto client for this request (tokens, claims, userinfo). */
    logto: LogtoClient;
  }
}
