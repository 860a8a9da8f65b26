import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { logtoException } from './errors.js';
import { logtoRequest } from './middleware.js';
import type { AuthenticatedEnv, LogtoUser } from './types.js';

/** Options of {@link authenticated}, as the seed's decorator. */
export interface AuthenticatedOptions {
  /** Send a signed-out visitor to sign-in (and back here after); otherwise 401 JSON. */
  shouldRedirect?: boolean;
  /** Put the userinfo (`/oidc/me`, one network call) in `c.get('user')` instead of the ID token claims. */
  fetchUserInfo?: boolean;
}

/**
 * Guards a route, as the seed's `@authenticated` decorator. Signed out: a 303 to sign-in that
 * comes back to this page (`shouldRedirect`, for GET), or an `HTTPException` whose response is
 * `401 {"error":"Not authenticated"}` with a `WWW-Authenticate` header. Signed in:
 * `c.get('user')` holds the ID token claims (no network), or the userinfo with
 * `fetchUserInfo`. A session whose refresh token the provider no longer accepts is ended and
 * treated as signed out; a provider failure is an `HTTPException` with a 502/503/504 response.
 *
 * @example
 * app.get('/protected', authenticated({ shouldRedirect: true }), (c) => c.json(c.get('user')));
 * app.get('/api/me', authenticated(), (c) => c.json({ sub: c.get('user').sub }));
 */
export function authenticated(
  options: AuthenticatedOptions = {},
): MiddlewareHandler<AuthenticatedEnv> {
  return async (c, next) => {
    const request = logtoRequest(c);
    const signedOut = (): Response => {
      const { routes } = request.web;
      if (options.shouldRedirect && c.req.method === 'GET') {
        const { pathname, search } = new URL(c.req.url);
        return c.redirect(
          `${routes.signIn}?returnTo=${encodeURIComponent(`${pathname}${search}`)}`,
          303,
        );
      }
      const res = new Response(JSON.stringify({ error: 'Not authenticated' }), {
        status: 401,
        headers: {
          'content-type': 'application/json',
          'www-authenticate': request.web.wwwAuthenticate,
        },
      });
      throw new HTTPException(401, { res, message: 'Not authenticated' });
    };

    let user: LogtoUser | undefined;
    try {
      user = await request.user(options);
    } catch (error) {
      throw logtoException(c, error) ?? error;
    }
    if (!user) return signedOut();
    c.set('user', user);
    await next();
    return undefined;
  };
}
