/**
 * Opening a core request from inside a render, Server Action or Route Handler, and sending what
 * it wrote: `cookies().set()` where Next.js allows it, parked for the next proxy run where it
 * does not (a Server Component).
 *
 * @module
 */
import type { LogtoRequest, LogtoWeb } from '@logto-kit/core';
import { cookies } from 'next/headers.js';
import { parkSession } from './parked.js';
import { parseSetCookie } from './set-cookie.js';

/**
 * Runs `action` on a core request for the current cookies, then ends it: the cookies it wrote
 * are set, or — in a Server Component, which cannot set cookies — parked so the next request's
 * proxy sends them (the rotated refresh token is never lost in one process).
 *
 * @example
 * ```ts
 * const claims = await withRequest(web, (request) => request.signedInClaims());
 * ```
 */
export async function withRequest<T>(
  web: LogtoWeb<Request>,
  action: (request: LogtoRequest) => Promise<T>,
): Promise<T> {
  const jar = await cookies();
  const header = jar
    .getAll()
    .map(({ name, value }) => `${name}=${value}`)
    .join('; ');
  const request = web.request({ method: 'GET', target: '/', cookie: header });
  const spent = header ? await request.client.getRefreshToken() : undefined;
  let result: T;
  try {
    result = await action(request);
  } catch (error) {
    await deliver(request, 500, spent);
    throw error;
  }
  await deliver(request, 200, spent);
  return result;
}

async function deliver(request: LogtoRequest, status: number, spent: string | undefined) {
  const { cookies: written } = await request.finish(status);
  if (written.length === 0) return;
  const jar = await cookies();
  try {
    for (const setCookie of written) {
      const { name, value, options } = parseSetCookie(setCookie);
      jar.set(name, value, options);
    }
  } catch {
    // A Server Component: Next.js refuses cookie writes while rendering. Only a rotated
    // refresh token must survive; a rolling renewal can wait for the next write.
    const latest = await request.client.getRefreshToken();
    if (spent && latest && latest !== spent) await parkSession(spent, written);
  }
}
