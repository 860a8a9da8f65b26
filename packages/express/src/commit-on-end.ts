import { ServerResponse } from 'node:http';
import type { LogtoRequest } from '@logto-kit/core';
import type { Response } from 'express';

type End = (this: Response, ...args: unknown[]) => Response;

/** Where a response keeps its request's `LogtoRequest` for the `end` hook. */
export const kResponseRequest = Symbol.for('logto-kit.express.response-request');

type WithRequest = Response & { [kResponseRequest]?: LogtoRequest };

const hooked = new WeakSet<object>();

/**
 * Express's own response prototype, which every app's `app.response` (and a mounted sub-app's)
 * inherits from: hooked there, the hook holds wherever the response is ended.
 */
function expressResponsePrototype(res: Response): { end: End } {
  let proto = Object.getPrototypeOf(res) as object | null;
  while (proto && Object.getPrototypeOf(proto) !== ServerResponse.prototype) {
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return (proto ?? Object.getPrototypeOf(res)) as { end: End };
}

const hasHeader = (res: Response, name: string) => res.hasHeader(name);
const setHeader = (res: Response, name: string, value: string) => {
  res.setHeader(name, value);
};

/**
 * Ends every response through core's `finish`: Express ends them all through `res.end`
 * (`send`, `json`, `redirect`, `render`), so one hook covers them, as express-session does. The
 * hook is defined once on Express's response prototype (where Express defines its own methods),
 * not per request. A response that read the session gets core's `responseHeaders()`
 * (`no-store`) where the app set none (`applyResponseHeaders`); a response with no `LogtoRequest`, or an unchanged
 * session, then ends at once.
 * Otherwise the cookies are added, or the response is replaced by core's when the session could
 * not be saved. A response already streaming cannot change: core saves what it can and logs
 * the rest.
 */
export function commitOnEnd(res: Response, request: LogtoRequest): void {
  (res as WithRequest)[kResponseRequest] = request;
  const proto = expressResponsePrototype(res);
  if (hooked.has(proto)) return;
  hooked.add(proto);
  const end = proto.end;
  proto.end = function endWithSession(this: WithRequest, ...args: unknown[]): Response {
    const request = this[kResponseRequest];
    if (!request) return end.apply(this, args);
    if (!this.headersSent) request.applyResponseHeaders(this, hasHeader, setHeader);
    if (!request.needsCommit()) return end.apply(this, args);
    const headersSent = this.headersSent;
    request.finish(this.statusCode, { headersSent }).then(({ cookies, response }) => {
      if (response) {
        // Replaced whole: nothing of the response that claimed success (a Location) stays.
        for (const name of this.getHeaderNames()) this.removeHeader(name);
        this.status(response.status).set(response.headers);
        return end.call(this, response.body);
      }
      if (cookies.length > 0) this.append('Set-Cookie', [...cookies]);
      return end.apply(this, args);
    });
    return this;
  };
}
