/**
 * `logto.handleErrors()`: what `logtoErrorHandler()` is in Express, Hono and Fastify, for a
 * Route Handler. A `LogtoError` it throws becomes core's answer — a page for browsers, JSON
 * `{"error", "message"}` otherwise, with the status by meaning (503 "Try again" for an outage,
 * 403 for a refusal) — and a refresh token the provider refused ends the session first. Anything
 * else (a bug, Next's own `redirect()`) is thrown on.
 *
 * @module
 */
import { isLogtoError, type LogtoWeb, toFetchResponse } from '@logto-kit/core';
import { withRequest } from './deliver.js';
import type { RouteContext, RouteHandler, RouteParams } from './require-access-token.js';

/**
 * Wraps a Route Handler so the errors of `@logto-kit/core` it throws are answered as every
 * other adapter answers them.
 *
 * @example
 * ```ts
 * const GET = handleErrors(web, async () =>
 *   Response.json(await getLogto(web).getAccessTokenClaims('https://api.example.com')),
 * );
 * ```
 */
export function handleErrors<Params = RouteParams>(
  web: LogtoWeb<Request>,
  handler: (request: Request, context?: RouteContext<Params>) => Response | Promise<Response>,
): RouteHandler<Params> {
  return async (incoming, context) => {
    try {
      return await handler(incoming, context);
    } catch (error) {
      if (!isLogtoError(error)) throw error;
      const response = await withRequest(
        web,
        (request) => request.handleError(error),
        {},
        {
          method: incoming.method,
          target: incoming.url, // only its path and query count: URLs come from baseUrl
          accept: incoming.headers.get('accept'),
        },
      );
      if (!response) throw error;
      return toFetchResponse(response);
    }
  };
}
