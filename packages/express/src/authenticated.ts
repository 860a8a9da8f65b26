import type { GuardOptions } from '@logto-kit/core';
import type { RequestHandler } from 'express';
import { logtoRequest, send } from './middleware.js';

/** Options of {@link authenticated}, as the seed's decorator. */
export type AuthenticatedOptions = GuardOptions;

/**
 * Guards a route, as the seed's `@authenticated` decorator; core decides. Signed out: a redirect
 * to sign-in that comes back to this page (`shouldRedirect`), or `401 {"error":"Not
 * authenticated"}` with a `WWW-Authenticate` header. Signed in: `req.user` holds the ID token
 * claims (no network), or the userinfo with `fetchUserInfo`.
 *
 * @example
 * app.get('/protected', authenticated({ shouldRedirect: true }), (req, res) => res.json(req.user));
 * app.get('/api/me', authenticated(), (req, res) => res.json(req.user));
 */
export function authenticated(options: AuthenticatedOptions = {}): RequestHandler {
  return (req, res, next) => {
    logtoRequest(req)
      .guard(options)
      .then((result) => {
        if ('response' in result) return send(res, result.response);
        req.user = result.user;
        next();
      }, next);
  };
}
