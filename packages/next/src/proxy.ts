/**
 * The proxy (`proxy.ts`, Next.js 16's middleware): guards paths, and refreshes tokens ahead of
 * expiry so the render — which cannot set cookies — finds them fresh.
 *
 * @module
 */
import { type LogtoRequest, type LogtoWeb, toFetchResponse } from '@logto-kit/core';
import { NextResponse } from 'next/server.js';
import { parkedSession } from './parked.js';
import { applySetCookies } from './set-cookie.js';

/** Options of `logto.proxy()`. */
export interface LogtoProxyOptions {
  /**
   * Path prefixes of pages that need a signed-in user: a signed-out GET is redirected to
   * sign-in and comes back (`?returnTo=`), other methods get 401.
   */
  protect?: readonly string[] | undefined;
  /** Path prefixes of APIs that need a signed-in user: signed out, `401` JSON with `WWW-Authenticate`. */
  api?: readonly string[] | undefined;
  /**
   * Refresh the ID token and each access token the session holds when it expires within this
   * many seconds. Default 30.
   */
  refreshAhead?: number | undefined;
}

/** Whether `path` is `prefix` or under it. */
const under = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/**
 * The proxy function: for every matched request it (1) applies a session a Server Component
 * parked, (2) refreshes what expires within `refreshAhead` seconds, (3) answers a signed-out
 * request to a protected path, and (4) sends the new session cookies to the browser and — by
 * rewriting the request's `Cookie` header — to the render of this same request.
 *
 * @example
 * ```ts
 * const proxy = createProxy(web, { protect: ['/dashboard'], api: ['/api'] });
 * ```
 */
export function createProxy(
  web: LogtoWeb<Request>,
  options: LogtoProxyOptions = {},
): (request: Request) => Promise<Response> {
  const seconds = options.refreshAhead ?? 30;
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new TypeError('logto.proxy({ refreshAhead }) must be a number of seconds, 0 or more.');
  }
  const authPaths = new Set(Object.values(web.routes));
  const base = new URL(web.redirectUri);

  return async (incoming) => {
    const { pathname, search } = new URL(incoming.url);
    // The auth routes read and write the session themselves.
    if (authPaths.has(pathname)) return NextResponse.next();
    let cookie = incoming.headers.get('cookie');
    const init = { method: incoming.method, target: `${pathname}${search}` };
    const open = (): LogtoRequest =>
      web.request({ ...init, cookie, accept: incoming.headers.get('accept') });
    let request = open();
    const sent: string[] = [];
    if (cookie) {
      const refreshToken = await request.client.getRefreshToken();
      const parked = refreshToken ? await parkedSession(refreshToken) : undefined;
      if (parked) {
        cookie = applySetCookies(cookie, parked);
        sent.push(...parked);
        request = open();
      }
      try {
        await request.refreshAhead(seconds);
      } catch {
        // A provider outage: the render tries again, and shows its error page if it must.
      }
    }
    const api = options.api?.some((prefix) => under(pathname, prefix));
    if (api || options.protect?.some((prefix) => under(pathname, prefix))) {
      const result = await request.guard({ shouldRedirect: !api });
      if ('response' in result) {
        const { response } = result;
        const { cookies } = await request.finish(response.status);
        const location = response.headers.location;
        const headers = location
          ? { ...response.headers, location: new URL(location, base).href }
          : response.headers;
        return toFetchResponse({ ...response, headers }, [...sent, ...cookies]);
      }
    }
    const { cookies, response: failed } = await request.finish(200);
    // The session store is down: the same clear 503 page every adapter answers.
    if (failed) return toFetchResponse(failed, sent);
    sent.push(...cookies);
    if (sent.length === 0) return NextResponse.next();
    const headers = new Headers(incoming.headers);
    headers.set('cookie', applySetCookies(cookie, cookies));
    const response = NextResponse.next({ request: { headers } });
    for (const setCookie of sent) response.headers.append('set-cookie', setCookie);
    return response;
  };
}
