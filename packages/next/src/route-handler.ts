/**
 * The catch-all auth route: `app/auth/[action]/route.ts` exports these. A Web `Request` in,
 * core's answer out as a Web `Response`, cookies included.
 *
 * @module
 */
import { type LogtoWeb, toFetchResponse, type WebResponse } from '@logto-kit/core';
import { drainOnCancel } from './request-body.js';

/** What `app/auth/[action]/route.ts` exports: `export const { GET, HEAD, POST } = logto.handlers;`. */
export interface LogtoRouteHandlers {
  GET(request: Request): Promise<Response>;
  HEAD(request: Request): Promise<Response>;
  POST(request: Request): Promise<Response>;
}

const notFound: WebResponse = {
  status: 404,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify({ error: 'not_found', message: 'No such auth route.' }),
};

/**
 * The handlers of the auth routes (sign-in, sign-up, callback, sign-out, back-channel logout):
 * core decides, this only translates. Any other path or method under the folder is a 404.
 *
 * @example
 * ```ts
 * const { GET } = routeHandlers(web);
 * const response = await GET(new Request('http://localhost:3000/auth/sign-in'));
 * ```
 */
export function routeHandlers(web: LogtoWeb<Request>): LogtoRouteHandlers {
  const handle = async (incoming: Request): Promise<Response> => {
    const request = web.request({
      method: incoming.method,
      target: incoming.url, // only its path and query count: URLs come from baseUrl
      cookie: incoming.headers.get('cookie'),
      accept: incoming.headers.get('accept'),
      body: (native) => drainOnCancel(native.body),
      native: incoming,
    });
    const routed = request.route();
    const response = routed ? await routed : notFound;
    const { cookies, response: replaced } = await request.finish(response.status);
    return toFetchResponse(replaced ?? response, cookies);
  };
  return { GET: handle, HEAD: handle, POST: handle };
}
