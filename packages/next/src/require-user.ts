/**
 * `logto.requireUser()` for Server Components (and Server Actions): the signed-in user who
 * passes the rules, or Next.js's redirect to sign-in, or a refusal; core's guard decides.
 *
 * @module
 */
import type { AuthorizationRules, LogtoWeb } from '@logto-kit/core';
import { headers } from 'next/headers.js';
import type { LogtoUser } from './authenticated.js';
import { withRequest } from './deliver.js';
import { forwardedPath } from './forwarded-path.js';
import { forbidden, notFound, redirect } from './navigation.js';

/** Options of `logto.requireUser()`: the rules, where to come back after sign-in, and whether to fetch the userinfo. */
export interface RequireUserOptions extends AuthorizationRules {
  /**
   * This page's path (and query): a signed-out visitor signs in and comes back here. A Server
   * Component does not know its own URL: the default is the path the proxy forwarded for this
   * request, else `/`. Only its path and query count.
   */
  returnTo?: string | undefined;
  /** The userinfo (`/oidc/me`, one network call) instead of the ID token claims. */
  fetchUserInfo?: boolean | undefined;
}

/** Whether `error` is one of Next.js's own interrupts (`redirect()`, `forbidden()`, …), by its `digest`. */
const isNextInterrupt = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { digest?: unknown }).digest === 'string';

/**
 * A signed-in user who fails a rule: Next's `forbidden()` (403 and the app's `forbidden.tsx`)
 * where the app enabled `experimental.authInterrupts`; without it Next 16 has no 403 for a
 * render, and the page is a 404 (`notFound()`), which at least does not confirm it exists.
 */
function refuse(): never {
  try {
    forbidden();
  } catch (error) {
    if (isNextInterrupt(error)) throw error;
    // "forbidden() is experimental…": the flag is off.
  }
  notFound();
}

/**
 * The signed-in user, when they pass every rule; core's guard decides. Signed out (or a
 * session the provider no longer accepts): Next's `redirect()` to sign-in, coming back to
 * `returnTo`. Signed in but failing a rule: `forbidden()` with `experimental.authInterrupts`,
 * otherwise `notFound()` — for a real 403 with core's page, put the same rule in the proxy
 * (`protect: [{ path, roles }]`), which answers before the render. Anything else ends as
 * `getLogto()`'s errors do in a render (a refresh the render may not make, or a provider
 * outage, through the refresh route).
 *
 * @example
 * ```ts
 * const user = await requireUser(web, { returnTo: '/admin', roles: ['admin'] });
 * ```
 */
export async function requireUser(
  web: LogtoWeb<Request>,
  options: RequireUserOptions = {},
): Promise<LogtoUser> {
  const { returnTo, ...rules } = options;
  const target = returnTo ?? forwardedPath(await headers()) ?? '/';
  const result = await withRequest(
    web,
    async (request) => {
      const guarded = await request.guard({ ...rules, shouldRedirect: true });
      // An error page a render cannot send: thrown here, so that it ends as getLogto()'s do (a
      // deferred refresh or an outage through the refresh route, an ended session to sign-in).
      if ('error' in guarded && guarded.error && guarded.error.code !== 'not_authorized') {
        throw guarded.error;
      }
      return guarded;
    },
    {},
    { method: 'GET', target },
  );
  if ('user' in result) return result.user as LogtoUser;
  const location = result.response.headers.location;
  if (location) redirect(location);
  if (result.error) refuse();
  throw new TypeError(`logto.requireUser(): unexpected guard answer ${result.response.status}`);
}
