import { toFetchResponse } from '@logto-kit/core';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { logtoRequest } from './middleware.js';

/**
 * A `LogtoError` as an `HTTPException` carrying core's complete response (a page for browsers,
 * JSON otherwise); `undefined` for anything else (a bug: rethrow it as it is).
 *
 * @example
 * try {
 *   return c.json(await c.get('logto').getAccessTokenClaims(resource));
 * } catch (error) {
 *   throw logtoException(c, error) ?? error;
 * }
 */
export function logtoException(c: Context, error: unknown): HTTPException | undefined {
  const response = logtoRequest(c).renderError(error);
  if (!response) return undefined;
  const res = toFetchResponse(response);
  return new HTTPException(res.status as 400, { res, message: res.statusText, cause: error });
}

/**
 * An `app.onError` handler: an `HTTPException` answers with its response (as Hono's default
 * does), a `LogtoError` thrown by your handlers becomes core's page or JSON (and a refresh token
 * the provider refused ends the session), anything else goes to `fallback` (default: log it and
 * answer a plain 500, as Hono does). `logto()` adds its cookies to whatever this returns.
 *
 * @example
 * app.onError(logtoErrorHandler());
 */
export function logtoErrorHandler(fallback?: ErrorHandler): ErrorHandler {
  return async (error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    const response = c.get('logtoRequest') && (await logtoRequest(c).handleError(error));
    if (response) return toFetchResponse(response);
    if (fallback) return fallback(error, c);
    console.error(error);
    return c.text('Internal Server Error', 500);
  };
}
