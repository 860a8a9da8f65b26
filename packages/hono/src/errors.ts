import { errorPage, errorResponse, type LogtoRequest } from '@logto-kit/core';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

const wantsHtml = (c: Context): boolean => (c.req.header('accept') ?? '').includes('text/html');

const signInPathOf = (c: Context): string =>
  (c.get('logtoRequest') as LogtoRequest | undefined)?.web.routes.signIn ?? '/sign-in';

/**
 * A `LogtoError` as an `HTTPException` carrying a complete response: a clear page for browsers
 * (`Accept: text/html`) or `{"error","message"}` JSON — 400 for a bad or stale callback, 401 for
 * an ended session, 502/503/504 when the provider fails. Returns `undefined` for anything else
 * (a bug, or a misconfiguration that is one): rethrow that as it is.
 *
 * @example
 * try {
 *   return c.json(await c.get('logto').getAccessTokenClaims(resource));
 * } catch (error) {
 *   throw logtoException(c, error) ?? error;
 * }
 */
export function logtoException(c: Context, error: unknown): HTTPException | undefined {
  const response = errorResponse(error);
  if (response.status === 500) return undefined;
  const html = wantsHtml(c);
  const res = new Response(
    html
      ? errorPage(response, signInPathOf(c))
      : JSON.stringify({ error: response.title, message: response.message }),
    {
      status: response.status,
      headers: { 'content-type': html ? 'text/html; charset=UTF-8' : 'application/json' },
    },
  );
  return new HTTPException(response.status, { res, message: response.title, cause: error });
}

/** The same exception with `Set-Cookie` values added to its response. */
export function withCookies(exception: HTTPException, cookies: string[]): HTTPException {
  if (cookies.length === 0) return exception;
  const res = exception.getResponse();
  for (const cookie of cookies) res.headers.append('set-cookie', cookie);
  return new HTTPException(exception.status, {
    res,
    message: exception.message,
    cause: exception.cause,
  });
}

/**
 * An `app.onError` handler: an `HTTPException` answers with its response (as Hono's default
 * does), a `LogtoError` thrown by your handlers is rendered by {@link logtoException}, and
 * anything else goes to `fallback` (default: log it and answer a plain 500, as Hono does).
 * A refresh token the provider no longer accepts ends the session, so the "Session ended" page
 * is true. Cookies `logto()` has to write are still added to whatever this returns.
 *
 * @example
 * app.onError(logtoErrorHandler());
 */
export function logtoErrorHandler(fallback?: ErrorHandler): ErrorHandler {
  return async (error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    // A refresh token the provider refused ends the session: `logto()` then clears its cookie.
    const request = c.get('logtoRequest') as LogtoRequest | undefined;
    await request?.endSessionIfRejected(error);
    const exception = logtoException(c, error);
    if (exception) return exception.getResponse();
    if (fallback) return fallback(error, c);
    console.error(error);
    return c.text('Internal Server Error', 500);
  };
}
