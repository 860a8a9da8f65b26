import { type GuardOptions, toFetchResponse } from '@logto-kit/core';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { logtoRequest } from './middleware.js';
import type { AuthenticatedEnv, LogtoUser } from './types.js';

/** Options of {@link authenticated}, as the seed's decorator. */
export type AuthenticatedOptions = GuardOptions;

/**
 * Guards a route, as the seed's `@authenticated` decorator; core decides. Signed out: a 303 to
 * sign-in that comes back to this page (`shouldRedirect`), or an `HTTPException` whose response
 * is `401 {"error":"Not authenticated"}` with `WWW-Authenticate`; a provider failure is an
 * `HTTPException` with its 502/503/504 page. Signed in: `c.get('user')` holds the ID token
 * claims (no network), or the userinfo with `fetchUserInfo`.
 *
 * @example
 * app.get('/protected', authenticated({ shouldRedirect: true }), (c) => c.json(c.get('user')));
 * app.get('/api/me', authenticated(), (c) => c.json({ sub: c.get('user').sub }));
 */
export function authenticated(
  options: AuthenticatedOptions = {},
): MiddlewareHandler<AuthenticatedEnv> {
  return async (c, next) => {
    const result = await logtoRequest(c).guard(options);
    if ('response' in result) {
      const res = toFetchResponse(result.response);
      if (res.status < 400) return res;
      throw new HTTPException(res.status as 401, { res, message: res.statusText });
    }
    c.set('user', result.user as LogtoUser);
    await next();
    return undefined;
  };
}
