/**
 * Opening a core request from inside a render, Server Action or Route Handler, and ending it:
 * the cookies it wrote are set where Next.js allows it; in a Server Component, which cannot set
 * cookies, a refresh is never spent (cookie sessions) and what cannot be done there becomes a
 * redirect — to the refresh route, or to sign-in when the session has ended.
 *
 * @module
 */
import {
  type LogtoRequest,
  type LogtoWeb,
  RefreshDeferredError,
  redirectForError,
  type WebRequestInit,
} from '@logto-kit/core';
import { cookies, headers } from 'next/headers.js';
import { forwardedPath } from './forwarded-path.js';
import { redirect } from './navigation.js';
import { parseSetCookie } from './set-cookie.js';

type CookieJar = Awaited<ReturnType<typeof cookies>>;

/** A cookie whose deletion probes whether this step may set cookies (a Server Component may not). */
const PROBE = '__logto_kit_probe';

/**
 * Whether Next.js lets this step set cookies: a Server Action or Route Handler does, a Server
 * Component throws. Probed only when it matters (a refresh is due, or an error must be
 * answered); in an action it leaves one `Set-Cookie` deleting a cookie nobody has.
 */
function canSetCookies(jar: CookieJar): boolean {
  try {
    jar.delete(PROBE);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `action` on a core request for the current cookies, then ends it. Where cookies can be
 * set (Server Actions, Route Handlers) the session is written and errors are thrown, a refused
 * refresh token ending the session first. In a Server Component:
 * - with cookie sessions a refresh is never made (its rotated refresh token could not reach the
 *   browser): the browser goes through the refresh route and comes back;
 * - an ended session (a refused refresh, nobody signed in) goes to sign-in and comes back;
 * - a provider or store outage goes through the refresh route, which tries again and answers
 *   a clear 503/504 page with "Try again" if it must — never Next's generic 500.
 *
 * `init` says which request the core request stands for (the guard's `returnTo`, a page or
 * JSON); default `GET /`.
 *
 * @example
 * ```ts
 * const claims = await withRequest(web, (request) => request.signedInClaims());
 * ```
 */
export async function withRequest<T>(
  web: LogtoWeb<Request>,
  action: (request: LogtoRequest) => Promise<T>,
  target: RefreshTarget = {},
  init: Pick<WebRequestInit, 'method' | 'target' | 'accept'> = { method: 'GET', target: '/' },
): Promise<T> {
  const jar = await cookies();
  const header = jar
    .getAll()
    .map(({ name, value }) => `${name}=${value}`)
    .join('; ');
  let writable: boolean | undefined;
  const readOnly = (): boolean => {
    writable ??= canSetCookies(jar);
    return !writable;
  };
  const request = web.request({
    ...init,
    cookie: header,
    cookiesReadOnly: readOnly,
  });
  let result: T;
  try {
    result = await action(request);
    // Never a success the session store did not save: its error, handled as the action's.
    const unsaved = await deliver(request, jar, 200);
    if (unsaved !== undefined) throw unsaved;
  } catch (error) {
    await request.endSessionIfRejected(error);
    await deliver(request, jar, 500);
    const answer = redirectForError(error);
    if (answer === undefined || !readOnly()) throw error;
    const to = await renderRedirect(web, answer, error, target);
    if (to === undefined) throw error;
    redirect(to);
  }
  return result;
}

/** The token an action asks for: an API resource, an organization, or neither (the default). */
export interface RefreshTarget {
  readonly resource?: string | undefined;
  readonly organizationId?: string | undefined;
}

/** The URL for core's answer to `error` in a Server Component, or `undefined` to throw it. */
async function renderRedirect(
  web: LogtoWeb<Request>,
  answer: 'signIn' | 'refresh',
  error: unknown,
  asked: RefreshTarget,
): Promise<string | undefined> {
  const route = answer === 'signIn' ? web.routes.signIn : web.routes.refresh;
  if (route === undefined) return undefined;
  const path = forwardedPath(await headers());
  if (path === undefined) {
    console.warn(
      'logto: a Server Component could not refresh or read the session, and the proxy did not run for its page: add the page to the proxy matcher (proxy.ts) so the browser can come back to it.',
    );
  }
  const query = new URLSearchParams({ returnTo: path ?? '/' });
  if (answer === 'refresh') {
    // The refresh route gets the same token: it makes the refresh, or answers the error's page.
    const { resource, organizationId } =
      error instanceof RefreshDeferredError ? error.target : asked;
    if (resource !== undefined) query.set('resource', resource);
    if (organizationId !== undefined) query.set('organization', organizationId);
  }
  return `${route}?${query}`;
}

/**
 * Sets the cookies the request wrote, where Next.js allows it (never in a Server Component).
 * Returns the error when the session could not be saved (its store is down) after a success.
 */
async function deliver(request: LogtoRequest, jar: CookieJar, status: number): Promise<unknown> {
  const { cookies: written, error } = await request.finish(status);
  if (written.length === 0) return error;
  try {
    for (const setCookie of written) {
      const { name, value, options } = parseSetCookie(setCookie);
      jar.set(name, value, options);
    }
  } catch {
    // A Server Component: Next.js refuses cookie writes while rendering. With cookie sessions
    // no refresh was made here (the next proxy run renews what is due); with a session store
    // the session was written to the store, and the cookie's rolling renewal can wait.
  }
  return undefined;
}
