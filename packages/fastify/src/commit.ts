import type { FastifyReply, onSendHookHandler } from 'fastify';
import { kRequest, type WithLogto } from './request.js';

const hasHeader = (reply: FastifyReply, name: string) => reply.hasHeader(name);
const setHeader = (reply: FastifyReply, name: string, value: string) => {
  reply.header(name, value);
};

/**
 * The `onSend` hook that ends every response through core's `finish`: a response that read the
 * session gets core's `responseHeaders()` (`no-store`, `Vary: Cookie`) where the app set none;
 * an unchanged session (or one never read) goes on at once, with no `Set-Cookie`. Otherwise the
 * cookies are added, or the response is replaced whole by core's when the session could not be
 * saved (a store that is down): it must not claim a success that was not kept.
 */
export const commitSession: onSendHookHandler = function commitSession(
  request,
  reply,
  payload,
  done,
) {
  const logto = (request as WithLogto)[kRequest];
  if (!logto) return done(null, payload);
  logto.applyResponseHeaders(reply, hasHeader, setHeader);
  if (!logto.needsCommit()) return done(null, payload);
  logto.finish(reply.statusCode, { headersSent: reply.raw.headersSent }).then(
    ({ cookies, response }) => {
      if (!response) {
        if (cookies.length > 0) reply.header('set-cookie', [...cookies]);
        return done(null, payload);
      }
      for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
      reply.code(response.status).headers(response.headers);
      done(null, response.body);
    },
    (error: unknown) => done(error as Error),
  );
};
