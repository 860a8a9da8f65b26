/**
 * The proxy (`proxy.ts`, Next.js 16's middleware): guards paths, and refreshes tokens ahead of
 * expiry so the render — which cannot set cookies — finds them fresh.
 *
 * @module
 */
import { type LogtoWeb, toFetchResponse } from '@logto-kit/core';
import { NextResponse } from 'next/server.js';
import { PATH_HEADER } from './forwarded-path.js';
import { type ProtectedPath, pathGuards } from './proxy-rules.js';
import { applySetCookies } from './set-cookie.js';

/** Options of `logto.proxy()`. */
export interface LogtoProxyOptions {
  /**
   * Path prefixes of pages that need a signed-in user: a signed-out GET is redirected to
   * sign-in and comes back (`?returnTo=`), other methods get 401. An entry with rules
   * (`{ path: '/admin', roles: ['admin'] }`) also decides who may pass: a signed-in user who
   * fails gets core's 403 page, never a sign-in loop. Every entry covering a path applies.
   */
  protect?: readonly ProtectedPath[] | undefined;
  /**
   * Path prefixes of APIs that need a signed-in user: signed out, `401` JSON with
   * `WWW-Authenticate`; entries with rules as in `protect` (403 JSON).
   */
  api?: readonly ProtectedPath[] | undefined;
  /**
   * Refresh the ID token and each access token the session holds when it expires within this
   * many seconds, or within a quarter of its lifetime when that is shorter (5-second tokens are
   * refreshed about once per lifetime, not on every request). Default 30.
   */
  refreshAhead?: number | undefined;
  /**
   * Before the render, also get the tokens the session does not hold yet but a page can ask
   * for by configuration: each configured API resource, and with the organizations scope the
   * token of each of the user's organizations (the first 10). A Server Component then finds
   * every configured token fresh and never needs a refresh. Default `true`.
   */
  prefetch?: boolean | undefined;
}

/**
 * The proxy function: for every matched request it (1) refreshes what is due and gets the
 * configured tokens the session lacks, (2) answers a signed-out request to a protected path,
 * and (3) sends the new session cookies to the browser and — by rewriting the request's
 * `Cookie` header — to the render of this same request, with the page's path (for a render
 * that must send the browser somewhere and back).
 *
 * @example
 * ```ts
 * const proxy = createProxy(web, {
 *   protect: ['/dashboard', { path: '/dashboard/admin', roles: ['admin'] }],
 *   api: ['/api'],
 * });
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
  const ahead = { prefetch: options.prefetch ?? true };
  const guardsFor = pathGuards(options);
  const authPaths = new Set(Object.values(web.routes));
  const base = new URL(web.redirectUri);

  return async (incoming) => {
    const { pathname, search } = new URL(incoming.url);
    // The auth routes read and write the session themselves.
    if (authPaths.has(pathname)) return NextResponse.next();
    const cookie = incoming.headers.get('cookie');
    const request = web.request({
      method: incoming.method,
      target: `${pathname}${search}`,
      cookie,
      accept: incoming.headers.get('accept'),
    });
    if (cookie) {
      try {
        await request.refreshAhead(seconds, ahead);
      } catch {
        // A provider outage: a render that needs a refresh goes through the refresh route,
        // which tries again and shows a retry page if it must.
      }
    }
    for (const guard of guardsFor(pathname)) {
      const result = await request.guard(guard);
      if ('response' in result) {
        const { response } = result;
        const { cookies } = await request.finish(response.status);
        const location = response.headers.location;
        const headers = location
          ? { ...response.headers, location: new URL(location, base).href }
          : response.headers;
        return toFetchResponse({ ...response, headers }, cookies);
      }
    }
    const { cookies, response: failed } = await request.finish(200);
    // The session store is down: the same clear 503 page every adapter answers.
    if (failed) return toFetchResponse(failed, []);
    // Nothing to tell the render: no session to read, and no forged path header to remove.
    if (!cookie && !incoming.headers.has(PATH_HEADER)) return NextResponse.next();
    const headers = new Headers(incoming.headers);
    if (cookies.length > 0) headers.set('cookie', applySetCookies(cookie, cookies));
    if (cookie) headers.set(PATH_HEADER, `${pathname}${search}`);
    else headers.delete(PATH_HEADER);
    const response = NextResponse.next({ request: { headers } });
    for (const setCookie of cookies) response.headers.append('set-cookie', setCookie);
    return response;
  };
}
