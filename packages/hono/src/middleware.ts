import {
  FirstScreen,
  LogtoRequest,
  LogtoWeb,
  type LogtoWebOptions,
  type WebSignInOptions,
} from '@logto-kit/core';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { logtoException, withCookies } from './errors.js';
import type { LogtoEnv } from './types.js';

/** Options of {@link logto}: the core web options plus per-request sign-in options. */
export interface LogtoHonoOptions extends LogtoWebOptions {
  /** Sign-in options decided per request (e.g. `loginHint` from your own form). */
  signInOptionsFor?: (c: Context) => WebSignInOptions | undefined;
}

/**
 * The request's core `LogtoRequest` (auth actions, cookies); throws a `TypeError` when
 * `logto()` is not mounted before the route.
 *
 * @example
 * app.get('/sign-in/email', async (c) => {
 *   const { location } = await logtoRequest(c).signIn({ loginHint: c.req.query('email') });
 *   return c.redirect(location, 303);
 * });
 */
export function logtoRequest(c: Context): LogtoRequest {
  const request: unknown = c.get('logtoRequest');
  if (!(request instanceof LogtoRequest)) {
    throw new TypeError('Mount app.use(logto(…)) before this route.');
  }
  return request;
}

/**
 * Adds Logto sign-in to a Hono app on Web standards only (`fetch`, WebCrypto,
 * `Request`/`Response`): `GET /sign-in` (with an optional same-origin `?returnTo=`),
 * `/sign-up`, `/callback` and `/sign-out`, `POST /backchannel-logout` (ends the provider
 * session's sessions; needs `session.store`), an encrypted session, and `c.get('logto')` — the
 * signed-in user's client — on every request. The session is read only when something asks,
 * and `Set-Cookie` is added to the response only when it changed.
 *
 * Failures of the auth routes are thrown as an `HTTPException` whose response is complete (a
 * clear page or JSON, 400 for a bad callback, 502/503/504 when the provider fails), so Hono's
 * default error handler, or yours, sends it as it is.
 *
 * @example
 * const app = new Hono<LogtoEnv>();
 * app.use(logto({ endpoint, appId, appSecret, baseUrl: 'http://localhost:3000',
 *                 scopes: [UserInfoScope.Email], session: { secret: env.SESSION_SECRET } }));
 */
export function logto(options: LogtoHonoOptions): MiddlewareHandler<LogtoEnv> {
  const web = new LogtoWeb(options);
  const { routes } = web;
  const base = web.baseUrl.href.replace(/\/+$/, '');

  const signIn = async (c: Context<LogtoEnv>, extra: WebSignInOptions) =>
    c.get('logtoRequest').signIn({
      ...options.signInOptionsFor?.(c),
      ...extra,
      returnTo: c.req.query('returnTo'),
    });

  const routeFor = (c: Context<LogtoEnv>): (() => Promise<{ location: string }>) | undefined => {
    // Hono answers HEAD with the GET route, so the method here is GET for both.
    if (c.req.method !== 'GET') return undefined;
    const request = c.get('logtoRequest');
    switch (c.req.path) {
      case routes.signIn:
        return () => signIn(c, {});
      case routes.signUp:
        return () => signIn(c, { firstScreen: FirstScreen.Register });
      case routes.callback:
        return () => request.handleCallback();
      case routes.signOut:
        return () => request.signOut();
      default:
        return undefined;
    }
  };

  return async (c, next) => {
    if (c.req.method === 'POST' && c.req.path === routes.backchannelLogout) {
      // Server to server: no session of the caller to load or write. Core checks the token,
      // replays, and ends the provider session's sessions in the shared store.
      const { status, headers, body } = await web.backchannelLogout(await c.req.text());
      return c.body(body, status, headers);
    }
    // The URL comes from the configured base URL, never from Host or X-Forwarded-*.
    const { pathname, search } = new URL(c.req.url);
    const request = web.request({
      url: `${base}${pathname}${search}`,
      cookie: c.req.header('cookie'),
    });
    c.set('logtoRequest', request);
    c.set('logto', request.client);

    const route = routeFor(c);
    if (route) {
      let location: string;
      try {
        ({ location } = await route());
      } catch (error) {
        web.logger.debug('logto: auth route failed', {
          path: c.req.path,
          code: (error as { code?: string } | null)?.code ?? 'unexpected',
        });
        // A LogtoError becomes a page; the app's own HTTPException (from afterCallback) passes
        // through. Both keep the cookies (a failed callback clears its transaction). Anything
        // else is a bug and goes to the app's error handler as it is.
        const exception = error instanceof HTTPException ? error : logtoException(c, error);
        if (!exception) throw error;
        throw withCookies(exception, await commitOrWarn(request));
      }
      for (const cookie of await commitOrWarn(request))
        c.header('set-cookie', cookie, { append: true });
      return c.redirect(location, 303);
    }

    await next();
    // Hono has not sent anything yet: the cookies join whatever response the app produced,
    // including one from an error handler. An unchanged session writes nothing.
    for (const cookie of await commitOrWarn(request))
      c.header('set-cookie', cookie, { append: true });
    return undefined;
  };
}

/** The response's `Set-Cookie` values; a session that cannot be saved is logged, not fatal. */
async function commitOrWarn(request: LogtoRequest): Promise<string[]> {
  if (!request.needsCommit()) return [];
  try {
    return await request.commit();
  } catch (error) {
    request.web.logger.warn?.('logto: could not save the session', {
      error: error instanceof Error ? error.name : 'unknown',
    });
    return [];
  }
}
