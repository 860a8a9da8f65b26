import type { GuardOptions, LogtoRequest } from '@logto-kit/core';
import type { FastifyRequest, preHandlerHookHandler } from 'fastify';
import { kUser, logtoRequest, send, type WithLogto } from './request.js';
import type { LogtoUser } from './types.js';

/**
 * Options of {@link authenticated}, as the seed's decorator. Passed to core's guard as they are,
 * so an option core learns later works here too.
 *
 * @example
 * const page: AuthenticatedOptions = { shouldRedirect: true, fetchUserInfo: true };
 */
export type AuthenticatedOptions = GuardOptions;

/**
 * Guards a route, as the seed's `@authenticated` decorator; core decides. Signed out: a 303 to
 * sign-in that comes back to this page (`shouldRedirect`), or `401 {"error":"not_authenticated"}`
 * with a `WWW-Authenticate` header; a provider failure is its 502/503/504 page. Signed in:
 * `request.user` holds the ID token claims (no network), or the userinfo with `fetchUserInfo`.
 * A `preHandler` (after validation); as an `onRequest` hook it answers before the body is read.
 *
 * @example
 * app.get('/protected', { preHandler: authenticated({ shouldRedirect: true }) },
 *   async (request) => request.user);
 * app.get('/api/me', { onRequest: authenticated() }, async (request) => ({ sub: request.user?.sub }));
 */
export function authenticated(options: AuthenticatedOptions = {}): preHandlerHookHandler {
  return function guard(request, reply, done) {
    let decided: ReturnType<LogtoRequest['guard']>;
    try {
      decided = logtoRequest(request).guard(options);
    } catch (error) {
      return done(error as Error); // the plugin is not registered in this scope
    }
    decided.then((result) => {
      if ('response' in result) {
        send(reply, result.response);
        return;
      }
      (request as WithLogto)[kUser] = result.user;
      request.user = result.user as LogtoUser;
      done();
    }, done);
  };
}

/**
 * The user `authenticated()` found for this request (`undefined` on a route it does not guard),
 * whatever another plugin (`@fastify/jwt`) later put on `request.user`.
 *
 * @example
 * app.get('/me', { preHandler: authenticated() }, async (request) => logtoUser(request)?.email);
 */
export function logtoUser(request: FastifyRequest): LogtoUser | undefined {
  return ((request as WithLogto)[kUser] ?? undefined) as LogtoUser | undefined;
}
