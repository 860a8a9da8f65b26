import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { kRequest, send, type WithLogto } from './request.js';

/**
 * An error handler as `app.setErrorHandler` takes it.
 *
 * @example
 * const fallback: FastifyErrorHandler = (error, _request, reply) => reply.code(500).send('Sorry');
 */
export type FastifyErrorHandler = (
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) => unknown | Promise<unknown>;

/**
 * An error handler for `app.setErrorHandler`: a `LogtoError` thrown by your handlers becomes
 * core's page (browsers) or JSON — 401 for an ended session, 403 for no access, 502/503/504 when
 * the provider fails — and a refresh token the provider refused ends the session. Anything else
 * goes to `fallback`, or is thrown on to Fastify's default handler.
 *
 * @example
 * app.setErrorHandler(logtoErrorHandler());
 */
export function logtoErrorHandler(fallback?: FastifyErrorHandler): FastifyErrorHandler {
  return async (error, request, reply) => {
    const logto = (request as WithLogto)[kRequest];
    const response = logto && !reply.sent ? await logto.handleError(error) : undefined;
    if (response) return send(reply, response);
    if (fallback) return fallback(error, request, reply);
    throw error;
  };
}
