import { type LogtoRoutes, LogtoWeb, type LogtoWebOptions, type WebBody } from '@logto-kit/core';
import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { commitSession } from './commit.js';
import { kRequest, kUser, logtoRequest, type WithLogto } from './request.js';
import { authRoutes } from './routes.js';

/**
 * Options of {@link logto}: core's web options; `signInOptionsFor` receives the Fastify request.
 *
 * @example
 * const hint: LogtoFastifyOptions['signInOptionsFor'] = (request) => {
 *   const { email } = request.query as { email?: string };
 *   return email ? { loginHint: email } : undefined;
 * };
 */
export type LogtoFastifyOptions = LogtoWebOptions<FastifyRequest>;

/**
 * What `app.register(logto(…), { prefix })` may add: a prefix for the auth routes.
 *
 * @example
 * const auth: LogtoRegisterOptions = { prefix: '/auth' }; // /auth/sign-in, /auth/callback, …
 */
export interface LogtoRegisterOptions {
  prefix?: string;
}

/** The body for core: the unread stream (see `routes.ts`), or what another parser read. */
const bodyOf = (request: FastifyRequest) => request.body as WebBody;

/** `/a/` + `b` → `/a/b`; `''` when there is no prefix. */
function joinPrefix(...parts: (string | undefined)[]): string {
  const joined = parts.filter(Boolean).join('/');
  return joined ? `/${joined}`.replace(/\/{2,}/g, '/').replace(/\/$/, '') : '';
}

/** The same options with every route path under `prefix`. */
function prefixed(options: LogtoFastifyOptions, routes: Readonly<LogtoRoutes>, prefix: string) {
  const moved = Object.entries(routes).map(([action, path]) => [action, `${prefix}${path}`]);
  return { ...options, routes: Object.fromEntries(moved) as Partial<LogtoRoutes> };
}

/**
 * Logto sign-in as a Fastify 5 plugin: `GET /sign-in` (with an optional same-origin
 * `?returnTo=`), `/sign-up`, `/callback` and `/sign-out`, `POST /backchannel-logout` (needs
 * `session.store`), an encrypted session, and `request.logto` — the signed-in user's client — on
 * every request of the scope it is registered in (the session is read only when something asks;
 * `Set-Cookie` is sent only when it changed). The options are checked here, at once: a
 * `TypeError` names every problem. A register `prefix` (or the scope's) goes before the route
 * paths, which are then what Logto must know (`baseUrl` + prefix + `routes.callback`).
 *
 * @example
 * await app.register(logto({ endpoint, appId, appSecret, baseUrl: 'http://localhost:3000',
 *   scopes: [UserInfoScope.Email], session: { secret: process.env.SESSION_SECRET! } }));
 */
export function logto(options: LogtoFastifyOptions): FastifyPluginCallback<LogtoRegisterOptions> {
  const unprefixed = new LogtoWeb<FastifyRequest>(options);
  const plugin: FastifyPluginCallback<LogtoRegisterOptions> = (fastify, register, done) => {
    try {
      setUp(fastify, register, options, unprefixed);
    } catch (error) {
      // A second registration in one scope (a decorator already there): a start-up error.
      return done(error as Error);
    }
    done();
  };
  return fp(plugin, { name: '@logto-kit/fastify', fastify: '5.x' });
}

/** The decorators, the hooks and the auth routes, in the scope the plugin is registered in. */
function setUp(
  fastify: FastifyInstance,
  register: LogtoRegisterOptions,
  options: LogtoFastifyOptions,
  unprefixed: LogtoWeb<FastifyRequest>,
): void {
  const prefix = joinPrefix(fastify.prefix, register.prefix);
  const web = prefix
    ? new LogtoWeb<FastifyRequest>(prefixed(options, unprefixed.routes, prefix))
    : unprefixed;
  decorate(fastify);
  fastify.addHook('onRequest', function openLogto(request, _reply, next) {
    (request as WithLogto)[kRequest] = web.request({
      method: request.method,
      target: request.url,
      cookie: request.headers.cookie,
      accept: request.headers.accept,
      body: bodyOf,
      native: request,
    });
    next();
  });
  fastify.addHook('onSend', commitSession);
  fastify.register(authRoutes, { routes: unprefixed.routes, prefix: register.prefix ?? '' });
}

/**
 * `request.logto` as a getter (Fastify 5 refuses object values on request decorators), the
 * request's `LogtoRequest`, and `request.user` unless another plugin (`@fastify/jwt`) owns it.
 */
function decorate(fastify: FastifyInstance): void {
  fastify.decorateRequest(kRequest, null);
  fastify.decorateRequest(kUser, null);
  fastify.decorateRequest('logto', {
    getter(this: FastifyRequest) {
      return logtoRequest(this).client;
    },
  });
  // A plain name: where another plugin declares `request.user`, its type is not ours.
  const user: string = 'user';
  if (!fastify.hasRequestDecorator(user)) fastify.decorateRequest(user, null);
}
