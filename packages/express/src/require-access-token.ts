import { AccessTokenGuard, type RequireAccessTokenOptions } from '@logto-kit/core';
import type { Request, RequestHandler } from 'express';
import { send } from './middleware.js';

/** Options of {@link requireAccessToken}: core's; an `organization` function receives `req`. */
export type RequireAccessTokenExpressOptions = RequireAccessTokenOptions<Request>;

/**
 * Protects an API route with Logto access tokens; core decides. A valid `Authorization: Bearer`
 * JWT for `resource` (and `organization`, `scopes`) puts the verified token in `req.auth`;
 * otherwise the RFC 6750 answer: 401 `invalid_token`, 403 `insufficient_scope`, 400
 * `invalid_request`, and 503 when the provider cannot be reached. Needs no `logto()`.
 *
 * @example
 * app.get('/api/notes', requireAccessToken({ endpoint, resource: 'https://api.example.com', scopes: ['read'] }),
 *   (req, res) => res.json({ user: req.auth?.subject }));
 */
export function requireAccessToken(options: RequireAccessTokenExpressOptions): RequestHandler {
  const guard = new AccessTokenGuard<Request>(options);
  return (req, res, next) => {
    guard.check({ authorization: req.headers.authorization, native: req }).then((result) => {
      if ('response' in result) return send(res, result.response);
      req.auth = result.auth;
      next();
    }, next);
  };
}
