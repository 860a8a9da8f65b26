import type { LogtoRequest, WebResponse } from '@logto-kit/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Where a request keeps its core `LogtoRequest` (a request decorator: one shape for all). */
export const kRequest = Symbol.for('logto-kit.fastify.request');

/** Where `authenticated()` keeps the user, whoever else writes `request.user`. */
export const kUser = Symbol.for('logto-kit.fastify.user');

export type WithLogto = FastifyRequest & {
  [kRequest]: LogtoRequest | null;
  [kUser]: unknown;
};

/**
 * The request's core `LogtoRequest` (auth actions, guard, cookies); throws a `TypeError` when
 * the `logto` plugin is not registered in the route's scope.
 *
 * @example
 * app.get('/sign-in/email', async (request, reply) => {
 *   const { email } = request.query as { email?: string };
 *   const { location } = await logtoRequest(request).signIn({ loginHint: email });
 *   return reply.redirect(location, 303);
 * });
 */
export function logtoRequest(request: FastifyRequest): LogtoRequest {
  const logto = (request as WithLogto)[kRequest];
  if (!logto) throw new TypeError('Register the logto plugin (app.register(logto, …)) first.');
  return logto;
}

/** Writes a core response; the session's cookies join it in the `onSend` hook. */
export function send(reply: FastifyReply, response: WebResponse): FastifyReply {
  // An empty body (a redirect) is sent as none: no `content-type` for it.
  return reply
    .code(response.status)
    .headers(response.headers)
    .send(response.body === '' ? undefined : response.body);
}
