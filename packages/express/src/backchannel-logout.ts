import type { LogtoWeb } from '@logto-kit/core';
import type { Request, Response } from 'express';

const MAX_BODY = 64 * 1024;

/**
 * The form body of a back-channel logout POST: `req.body` when a body parser already read it,
 * otherwise read here (at most 64 KB; anything larger is not a logout request).
 */
async function readForm(req: Request): Promise<URLSearchParams> {
  const parsed: unknown = req.body;
  if (parsed && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) {
    const token = (parsed as Record<string, unknown>).logout_token;
    return new URLSearchParams(typeof token === 'string' ? { logout_token: token } : {});
  }
  if (typeof parsed === 'string') return new URLSearchParams(parsed);
  if (req.readableEnded) return new URLSearchParams();
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return new URLSearchParams();
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * `POST /backchannel-logout`: the provider ends a session server to server. The work (token
 * checks, replay, ending the sessions in the shared store) is core's `web.backchannelLogout`;
 * this only moves the body in and the status out. 200 on success, 400 with a JSON error for a
 * refused token (or cookie sessions, which cannot be ended remotely), 502/503/504 on outages.
 */
export async function backchannelLogoutRoute(
  web: LogtoWeb,
  req: Request,
  res: Response,
): Promise<void> {
  let form: URLSearchParams;
  try {
    form = await readForm(req);
  } catch {
    form = new URLSearchParams(); // an aborted body is a request without a token: 400 below
  }
  const { status, headers, body } = await web.backchannelLogout(form);
  res.status(status).set(headers).send(body);
}
