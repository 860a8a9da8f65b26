import type { IdTokenClaims, LogtoClient, LogtoRequest, UserInfo } from '@logto-kit/core';

/**
 * What `authenticated()` puts in `c.get('user')`: the ID token claims, or the userinfo with
 * `fetchUserInfo`.
 *
 * @example (not checked: the checker's `app` does not carry the guard's env; see readme.test.ts)
 * app.get('/me', authenticated(), (c) => c.text(c.get('user').email ?? 'no email'));
 */
export interface LogtoUser extends Partial<IdTokenClaims>, Partial<UserInfo> {
  sub: string;
}

/**
 * The variables `logto()` sets on every request. `user` is not one of them: it exists behind
 * `authenticated()`, whose type adds it ({@link AuthenticatedEnv}), so `c.get('user')` needs no
 * check there and does not compile where no guard ran.
 *
 * @example
 * const app = new Hono<{ Variables: LogtoVariables }>();
 * app.get('/', async (c) => c.text((await c.get('logto').isAuthenticated()) ? 'hi' : 'sign in'));
 */
export interface LogtoVariables {
  /** The signed-in user's Logto client for this request (tokens, claims, userinfo). */
  logto: LogtoClient;
  /** This request's auth actions and cookies (core's `LogtoRequest`), for custom sign-in routes. */
  logtoRequest: LogtoRequest;
}

/**
 * The Hono environment of an app that mounts `logto()`: `new Hono<LogtoEnv>()` types
 * `c.get('logto')` in every handler.
 *
 * @example
 * const app = new Hono<LogtoEnv>();
 * app.use(logto(options));
 */
export interface LogtoEnv {
  Variables: LogtoVariables;
}

/**
 * What a handler behind `authenticated()` sees in addition: `c.get('user')`.
 *
 * @example
 * const greet = (c: Context<LogtoEnv & AuthenticatedEnv>) => c.text(`Hi ${c.get('user').sub}`);
 */
export interface AuthenticatedEnv {
  Variables: LogtoVariables & { user: LogtoUser };
}
