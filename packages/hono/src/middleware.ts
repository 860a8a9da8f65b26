import {
  type LogtoRequest,
  LogtoWeb,
  type LogtoWebOptions,
  toFetchResponse,
} from '@logto-kit/core';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { LogtoEnv } from './types.js';

/** Options of {@link logto}: core's web options; `signInOptionsFor` receives the Hono `Context`. */
export type LogtoHonoOptions = LogtoWebOptions<Context>;

/**
 * The request's core `LogtoRequest` (auth actions, guard, cookies); throws a `TypeError` when
 * `logto()` is not mounted before the route.
 *
 * @example
 * app.get('/sign-in/email', async (c) => {
 *   const { location } = await logtoRequest(c).signIn({ loginHint: c.req.query('email') });
 *   return c.redirect(location, 303);
 * });
 */
export function logtoRequest(c: Context): LogtoRequest {
  const request = c.get('logtoRequest') as LogtoRequest | undefined;
  if (!request) throw new TypeError('Mount app.use(logto(…)) before this route.');
  return request;
}

/** The unread body stream, for core. */
const bodyOf = (c: Context) => c.req.raw.body;
const hasHeader = (c: Context, name: string) => c.res.headers.has(name);
const setHeader = (c: Context, name: string, value: string) => c.header(name, value);

/**
 * Adds Logto sign-in to a Hono app on Web standards only (`fetch`, WebCrypto,
 * `Request`/`Response`): `GET /sign-in` (with an optional same-origin `?returnTo=`),
 * `/sign-up`, `/callback` and `/sign-out`, `POST /backchannel-logout` (needs `session.store`),
 * an encrypted session, and `c.get('logto')` — the signed-in user's client — on every request.
 * The session is read only when something asks; `Set-Cookie` is added only when it changed.
 *
 * @example
 * const app = new Hono<LogtoEnv>();
 * app.use(logto({ endpoint, appId, appSecret, baseUrl: 'http://localhost:3000',
 *                 scopes: [UserInfoScope.Email], session: { secret: env.SESSION_SECRET } }));
 */
export function logto(options: LogtoHonoOptions): MiddlewareHandler<LogtoEnv> {
  const web = new LogtoWeb<Context>(options);
  return async (c, next) => {
    const request = web.request({
      method: c.req.method,
      target: c.req.url,
      cookie: c.req.header('cookie'),
      accept: c.req.header('accept'),
      body: bodyOf,
      native: c,
    });
    c.set('logtoRequest', request);
    c.set('logto', request.client);
    try {
      const routed = request.route();
      if (routed) c.res = toFetchResponse(await routed);
      else await next();
    } catch (error) {
      // Core answers every LogtoError (a failed afterCallback included), so what reaches here
      // is a bug, or an HTTPException of the app's: that one carries the cookies itself.
      const { cookies } = await request.finish(500);
      throw error instanceof HTTPException ? withCookies(error, cookies) : error;
    }
    const { cookies, response } = await request.finish(c.res.status);
    if (response) {
      c.res = undefined; // replaced whole, not merged with the response that claimed success
      c.res = toFetchResponse(response);
    }
    request.applyResponseHeaders(c, hasHeader, setHeader);
    for (const cookie of cookies) c.header('set-cookie', cookie, { append: true });
  };
}

/** The same exception, its response carrying `Set-Cookie` values too. */
function withCookies(exception: HTTPException, cookies: readonly string[]): HTTPException {
  if (cookies.length === 0) return exception;
  const res = exception.getResponse();
  for (const cookie of cookies) res.headers.append('set-cookie', cookie);
  const { status, message, cause } = exception;
  return new HTTPException(status, { res, message, cause });
}
