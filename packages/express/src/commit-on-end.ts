import { errorResponse, isLogtoError, type LogtoRequest } from '@logto-kit/core';
import type { Response } from 'express';

/**
 * Writes the session's cookies just before the response ends: an unchanged session writes
 * nothing; a refreshed one is saved. Express ends every response through `res.end`
 * (`send`, `json`, `redirect`, `render`), so one hook covers them all, as express-session does.
 * If the response was already streaming, a change can no longer be saved: it is logged. When the
 * session store fails (Redis down), the response becomes that error (503) instead.
 */
export function commitOnEnd(res: Response, request: LogtoRequest): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let done = false;
  (res as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]) => {
    if (done) return end(...args);
    done = true;
    // The usual case (nothing changed, or the session was never read): end at once.
    if (!request.needsCommit()) return end(...args);
    if (res.headersSent) {
      void request.commit().then((cookies) => {
        if (cookies.length > 0) {
          request.web.logger.warn?.(
            'logto: the session changed after the response started; not saved',
          );
        }
      });
      return end(...args);
    }
    request.commit().then(
      (cookies) => {
        if (cookies.length > 0 && !res.headersSent) res.append('Set-Cookie', cookies);
        end(...args);
      },
      (error: unknown) => {
        request.web.logger.warn?.('logto: could not save the session', {
          error: error instanceof Error ? error.name : 'unknown',
        });
        if (isLogtoError(error) && !res.headersSent && res.statusCode < 400) {
          // The session store is down: the response must not claim a success it did not save.
          const { status, title, message } = errorResponse(error);
          const body = JSON.stringify({ error: title, message });
          res
            .status(status)
            .type('json')
            .set('Content-Length', String(Buffer.byteLength(body)));
          end(body);
          return;
        }
        end(...args);
      },
    );
    return res;
  };
}
