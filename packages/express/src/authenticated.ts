import type { RequestHandler } from 'express';
import { logtoRequest } from './middleware.js';

/** Options of {@link authenticated}, as the seed's decorator. */
export interface AuthenticatedOptions {
  /** Send a signed-out visitor to sign-in (and back here after); otherwise 401 JSON. */
  shouldRedirect?: boolean;
  /** Put the userinfo (`/oidc/me`, one network call) on `req.user` instead of the ID token claims. */
  fetchUserInfo?: boolean;
}

/**
 * Guards a route, as the seed's `@authenticated` decorator. Signed out: a redirect to sign-in
 * that comes back to this page (`shouldRedirect`), or `401 {"error":"Not authenticated"}` with a
 * `WWW-Authenticate` header. Signed in: `req.user` holds the ID token claims (no network), or
 * the userinfo with `fetchUserInfo`. A session whose refresh token the provider no longer
 * accepts is ended and treated as signed out.
 *
 * @example
 * app.get('/protected', authenticated({ shouldRedirect: true }), (req, res) => res.json(req.user));
 * app.get('/api/me', authenticated(), (req, res) => res.json(req.user));
 */
export function authenticated(options: AuthenticatedOptions = {}): RequestHandler {
  return (req, res, next) => {
    const run = async (): Promise<void> => {
      const request = logtoRequest(req);
      const signedOut = (): void => {
        const { routes } = request.web;
        if (options.shouldRedirect && (req.method === 'GET' || req.method === 'HEAD')) {
          const target = `${routes.signIn}?returnTo=${encodeURIComponent(req.originalUrl)}`;
          res.redirect(303, target);
          return;
        }
        res
          .status(401)
          .set('WWW-Authenticate', request.web.wwwAuthenticate)
          .json({ error: 'Not authenticated' });
      };
      const user = await request.user(options);
      if (!user) {
        signedOut();
        return;
      }
      req.user = user;
      next();
    };
    run().catch(next);
  };
}
