import type { LogtoRoutes } from '@logto-kit/core';
import type { FastifyPluginCallback, RouteHandlerMethod } from 'fastify';
import { logtoRequest, send } from './request.js';

const form = 'application/x-www-form-urlencoded';

/** Core decides what the request is (HEAD never signs out); what it does not take is a 404. */
const handleAuthRoute: RouteHandlerMethod = async (request, reply) => {
  const routed = logtoRequest(request).route();
  if (!routed) return reply.callNotFound();
  return send(reply, await routed);
};

/**
 * The auth routes, in their own (encapsulated) plugin so that a register `prefix` applies to
 * them. The back-channel logout's form body is handed to core unread (core reads at most 64 KB
 * and drops the rest); an app's own form parser, if it has one, reads it instead.
 */
export const authRoutes: FastifyPluginCallback<{ routes: Readonly<LogtoRoutes> }> = (
  scope,
  { routes },
  done,
) => {
  if (!scope.hasContentTypeParser(form)) {
    scope.addContentTypeParser(form, (_request, payload, parsed) => parsed(null, payload));
  }
  for (const path of [routes.signIn, routes.signUp, routes.callback, routes.signOut]) {
    scope.get(path, handleAuthRoute);
  }
  scope.post(routes.backchannelLogout, handleAuthRoute);
  done();
};
