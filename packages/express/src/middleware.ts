import {
  errorPage,
  errorResponse,
  type LogtoRequest,
  LogtoWeb,
  type LogtoWebOptions,
  type WebSignInOptions,
} from '@logto-kit/core';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { backchannelLogoutRoute } from './backchannel-logout.js';
import { commitOnEnd } from './commit-on-end.js';

const kRequest = Symbol.for('logto-kit.express.request');

/** Options of {@link logto}: the core web options plus per-request sign-in options. */
export interface LogtoExpressOptions extends LogtoWebOptions {
  /** Sign-in options decided per request (e.g. `loginHint` from your own form). */
  signInOptionsFor?: (req: Request) => WebSignInOptions | undefined;
}

type WithLogto = Request & { [kRequest]?: LogtoRequest };

/** The request's {@link LogtoRequest}; throws a `TypeError` when `logto()` is not mounted. */
export function logtoRequest(req: Request): LogtoRequest {
  const request = (req as WithLogto)[kRequest];
  if (!request) throw new TypeError('Mount app.use(logto(…)) before this route.');
  return request;
}

const exposed = new WeakSet<object>();

/**
 * Defines `req.logto` once on the app's request prototype (as Express defines its own request
 * properties) rather than on every request object.
 */
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

const wantsHtml = (req: Request): boolean => (req.headers.accept ?? '').includes('text/html');

/**
 * A 303 with an empty body. Express's `res.redirect` repeats the URL in the body, and the
 * end-session URL carries the ID token (`id_token_hint`): no token goes into a response body.
 */
function seeOther(res: Response, location: string): void {
  res.status(303).location(location).end();
}

/**
 * The request's URL on the configured base URL. `originalUrl` is the request target: a path
 * (origin form) as a rule, but a client may send an absolute URL or `*`; only their path counts.
 */
function requestUrl(base: string, originalUrl: string): string {
  if (originalUrl.startsWith('/')) return `${base}${originalUrl}`;
  const absolute = URL.canParse(originalUrl) ? new URL(originalUrl) : undefined;
  return `${base}${absolute ? `${absolute.pathname}${absolute.search}` : '/'}`;
}

function renderLogtoError(
  signInPath: string,
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  const response = errorResponse(error);
  if (response.status === 500 || res.headersSent) {
    next(error);
    return;
  }
  res.status(response.status);
  if (wantsHtml(req)) {
    res.type('html').send(errorPage(response, signInPath));
  } else {
    res.json({ error: response.title, message: response.message });
  }
}

/**
 * Renders `LogtoError`s as clear pages (HTML) or JSON: 400 for a bad or stale callback,
 * 401 for an ended session, 502/503/504 when the provider fails. Other errors pass on.
 * `logto()` uses it for its own routes; mount it after your routes to cover them too.
 * A refresh token the provider no longer accepts (`oauth.invalid_grant`, e.g. revoked) also
 * ends the session, so the "Session ended" page is true and the next request is signed out.
 *
 * @example
 * app.use(logtoErrorHandler());
 */
export function logtoErrorHandler(options: { signInPath?: string } = {}): ErrorRequestHandler {
  const signInPath = options.signInPath ?? '/sign-in';
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const request = (req as WithLogto)[kRequest];
    if (!request) {
      renderLogtoError(signInPath, error, req, res, next);
      return;
    }
    request.endSessionIfRejected(error).then(
      () => renderLogtoError(signInPath, error, req, res, next),
      (failure: unknown) => next(failure),
    );
  };
}

/**
 * Adds Logto sign-in to an Express 4 or 5 app: `GET /sign-in` (with an optional same-origin
 * `?returnTo=`), `/sign-up`, `/callback` and `/sign-out`, `POST /backchannel-logout` (ends the
 * provider session's sessions; needs `session.store`), an encrypted session, and
 * `req.logto` — the signed-in user's client — on every request (the session is only read
 * when something asks).
 *
 * @example
 * app.use(logto({ endpoint, appId, appSecret, baseUrl: 'http://localhost:3000',
 *                 scopes: [UserInfoScope.Email], session: { secret: process.env.SESSION_SECRET! } }));
 */
export function logto(options: LogtoExpressOptions): RequestHandler {
  const web = new LogtoWeb(options);
  const { routes } = web;
  // The auth routes render their own errors; a failed callback must not end the current session.
  const renderError: ErrorRequestHandler = (error, req, res, next) =>
    renderLogtoError(routes.signIn, error, req, res, next);
  const base = web.baseUrl.href.replace(/\/+$/, '');

  const signIn = async (req: Request, res: Response, extra: WebSignInOptions): Promise<void> => {
    const returnTo = typeof req.query.returnTo === 'string' ? req.query.returnTo : undefined;
    const { location } = await logtoRequest(req).signIn({
      ...options.signInOptionsFor?.(req),
      ...extra,
      returnTo,
    });
    seeOther(res, location);
  };

  const routeFor = (req: Request): (() => Promise<void>) | undefined => {
    const res = req.res as Response;
    if (req.method === 'POST' && req.path === routes.backchannelLogout) {
      return () => backchannelLogoutRoute(web, req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    const request = logtoRequest(req);
    switch (req.path) {
      case routes.signIn:
        return () => signIn(req, res, {});
      case routes.signUp:
        return () => signIn(req, res, { firstScreen: 'register' });
      case routes.callback:
        return async () => {
          const { location } = await request.handleCallback();
          seeOther(res, location);
        };
      case routes.signOut:
        return async () => {
          const { location } = await request.signOut();
          seeOther(res, location);
        };
      default:
        return undefined;
    }
  };

  return (req, res, next) => {
    // The URL comes from the configured base URL, never from Host or X-Forwarded-*.
    const request = web.request({
      url: requestUrl(base, req.originalUrl),
      cookie: req.headers.cookie,
    });
    (req as WithLogto)[kRequest] = request;
    exposeClient(req);
    commitOnEnd(res, request);
    const route = routeFor(req);
    if (!route) {
      next();
      return;
    }
    route().catch((error: unknown) => {
      web.logger.debug('logto: auth route failed', {
        path: req.path,
        code: (error as { code?: string }).code ?? 'unexpected',
      });
      renderError(error, req, res, next);
    });
  };
}
