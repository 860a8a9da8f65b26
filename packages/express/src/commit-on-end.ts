import type { LogtoRequest } from '@logto-kit/core';
import type { Response } from 'express';

type End = (...args: unknown[]) => Response;

/**
 * Ends every response through core's `finish`: Express ends them all through `res.end`
 * (`send`, `json`, `redirect`, `render`), so one hook covers them, as express-session does. An
 * unchanged session ends at once; otherwise the cookies are added, or the response is replaced
 * by core's when the session could not be saved. A response already streaming cannot change:
 * core saves what it can and logs the rest.
 */
export function commitOnEnd(res: Response, request: LogtoRequest): void {
  const end = res.end.bind(res) as End;
  (res as { end: End }).end = (...args: unknown[]) => {
    (res as { end: End }).end = end;
    if (!request.needsCommit()) return end(...args);
    const headersSent = res.headersSent;
    request.finish(res.statusCode, { headersSent }).then(({ cookies, response }) => {
      if (response) {
        // Replaced whole: nothing of the response that claimed success (a Location) stays.
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        res.status(response.status).set(response.headers);
        return end(response.body);
      }
      if (cookies.length > 0) res.append('Set-Cookie', [...cookies]);
      return end(...args);
    });
    return res;
  };
}
