import {
  type LogtoRequest,
  LogtoWeb,
  type LogtoWebOptions,
  type WebResponse,
} from '@logto-kit/core';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { commitOnEnd } from './commit-on-end.js';

const kRequest = Symbol.for('logto-kit.express.request');

/** Options of {@link logto}: core's web options; `signInOptionsFor` receives the Express `req`. */
export type LogtoExpressOptions = LogtoWebOptions<Request>;

type WithLogto = Request & { [kRequest]?: LogtoRequest };

/**
 * The request's core `LogtoRequest` (auth actions, guard, cookies); throws a `TypeError` when
 * `logto()` is not mounted.
 *
 * @example
 * app.get('/sign-in/email', (req, res, next) => {
 *   logtoRequest(req).signIn({ loginHint: String(req.query.email) })
 *     .then(({ location }) => res.redirect(303, location), next);
 * });
 */
export function logtoRequest(req: Request): LogtoRequest {
  const request = (req as WithLogto)[kRequest];
  if (!request) throw new TypeError('Mount app.use(logto(…)) before this route.');
  return request;
}

const exposed = new WeakSet<object>();

/** Defines `req.logto` once on the app's request prototype, as Express defines its own. */
function exposeClient(req: Request): void {
  const proto = Object.getPrototypeOf(req) as object;
  if (exposed.has(proto)) return;
  Object.defineProperty(proto, 'logto', {
    configurable: true,
    enumerable: false,
    get(this: Request) {
      return logtoRequest(this).client;
    },
  });
  exposed.add(proto);
}

/** The body for core: what a body parser already read, otherwise the request stream. */
const bodyOf = (req: Request) => (req.body as Record<string, unknown> | undefined) ?? req;

/** Writes a core response; the session's cookies join it in the `res.end` hook. */
export function send(res: Response, response: WebResponse): void {
  res.status(response.status).set(response.headers).end(response.body);
}

/**
 * Renders `LogtoError`s as core's pages (HTML) or JSON — 400 for a bad or stale callback, 401
 * for an ended session, 502/503/504 when the provider fails — and ends a session whose refresh
 * token the provider refused. Other errors pass on. Mount it after your routes.
 *
 * @example
 * app.use(logtoErrorHandler());
 */
export function logtoErrorHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    const request = (req as WithLogto)[kRequest];
    if (!request || res.headersSent) return next(error);
    request.handleError(error).then((response) => {
      if (response) send(res, response);
      else next(error);
    }, next);
  };
}

/**
 * Adds Logto sign-in to an Express 4 or 5 app: `GET /sign-in` (with an optional same-origin
 * `?returnTo=`), `/sign-up`, `/callback` and `/sign-out`, `POST /backchannel-logout` (needs
 * `session.store`), an encrypted session, and `req.logto` — the signed-in user's client — on
 * every request (the session is only read when something asks).
 *
 * @example
 * app.use(logto({ endpoint, appId, appSecret, baseUrl: 'http://localhost:3000',
 *                 scopes: [UserInfoScope.Email], session: { secret: process.env.SESSION_SECRET! } }));
 */
export function logto(options: LogtoExpressOptions): RequestHandler {
  const web = new LogtoWeb<Request>(options);
  return (req, res, next) => {
    const request = web.request({
      method: req.method,
      target: req.originalUrl,
      cookie: req.headers.cookie,
      accept: req.headers.accept,
      body: bodyOf,
      native: req,
    });
    (req as WithLogto)[kRequest] = request;
    exposeClient(req);
    commitOnEnd(res, request);
    const routed = request.route();
    if (!routed) return next();
    routed.then((response) => send(res, response), next);
  };
}
