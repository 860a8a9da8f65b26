import {
  type AccessTokenAuth,
  AccessTokenGuard,
  type RequireAccessTokenOptions,
  toFetchResponse,
} from '@logto-kit/core';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

/** Options of {@link requireAccessToken}: core's; an `organization` function receives the context. */
export type RequireAccessTokenHonoOptions = RequireAccessTokenOptions<Context>;

/**
 * What a handler behind `requireAccessToken()` sees: `c.get('auth')`, the verified token.
 *
 * @example
 * const whoami = (c: Context<AccessTokenEnv>) => c.text(c.get('auth').subject);
 */
export interface AccessTokenEnv {
  Variables: { auth: AccessTokenAuth };
}

/**
 * Protects an API route with Logto access tokens; core decides. A valid `Authorization: Bearer`
 * JWT for `resource` (and `organization`, `scopes`) puts the verified token in `c.get('auth')`;
 * otherwise an `HTTPException` carrying the RFC 6750 answer: 401 `invalid_token`, 403
 * `insufficient_scope`, 400 `invalid_request`, and 503 when the provider cannot be reached.
 * Needs no `logto()`.
 *
 * @example
 * app.get('/api/notes', requireAccessToken({ endpoint, resource: 'https://api.example.com', scopes: ['read'] }),
 *   (c) => c.json({ user: c.get('auth').subject }));
 */
export function requireAccessToken(
  options: RequireAccessTokenHonoOptions,
): MiddlewareHandler<AccessTokenEnv> {
  const guard = new AccessTokenGuard<Context>(options);
  return async (c, next) => {
    const result = await guard.check({ authorization: c.req.header('authorization'), native: c });
    if ('response' in result) {
      const res = toFetchResponse(result.response);
      throw new HTTPException(res.status as 401, { res, message: res.statusText });
    }
    c.set('auth', result.auth);
    await next();
  };
}
