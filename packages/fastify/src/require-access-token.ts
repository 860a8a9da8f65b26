import { AccessTokenGuard, type RequireAccessTokenOptions } from '@logto-kit/core';
import type { FastifyRequest, preHandlerHookHandler } from 'fastify';
import { send } from './request.js';

/** Options of {@link requireAccessToken}: core's; an `organization` function receives the request. */
export type RequireAccessTokenFastifyOptions = RequireAccessTokenOptions<FastifyRequest>;

/**
 * Protects an API route with Logto access tokens; core decides. A valid `Authorization: Bearer`
 * JWT for `resource` (and `organization`, `scopes`) puts the verified token in `request.auth`;
 * otherwise the RFC 6750 answer: 401 `invalid_token`, 403 `insufficient_scope`, 400
 * `invalid_request`, and 503 when the provider cannot be reached. Needs no `logto()` plugin; as
 * an `onRequest` hook it answers before the body is read.
 *
 * @example
 * app.get('/api/notes', { onRequest: requireAccessToken({ endpoint, resource: 'https://api.example.com', scopes: ['read'] }) },
 *   async (request) => ({ user: request.auth?.subject }));
 */
export function requireAccessToken(
  options: RequireAccessTokenFastifyOptions,
): preHandlerHookHandler {
  const guard = new AccessTokenGuard<FastifyRequest>(options);
  return function requireToken(request, reply, done) {
    guard
      .check({ authorization: request.headers.authorization, native: request })
      .then((result) => {
        if ('response' in result) {
          send(reply, result.response);
          return;
        }
        request.auth = result.auth;
        done();
      }, done);
  };
}
