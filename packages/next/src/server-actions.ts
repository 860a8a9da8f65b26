/**
 * `signIn()` and `signOut()`, called from a Server Action (a `'use server'` function): they set
 * the cookies and redirect.
 *
 * @module
 */
import type { LogtoWeb, WebSignInOptions } from '@logto-kit/core';
import { withRequest } from './deliver.js';
import { redirect } from './navigation.js';

/** Options of a sign-in started from a Server Action. */
export interface SignInActionOptions extends WebSignInOptions {
  /** Where to land after sign-in: a path on the app's own origin (anything else is ignored). */
  returnTo?: string | undefined;
}

/**
 * Starts a sign-in from a Server Action: stores the sign-in transaction cookie and redirects to
 * Logto. Never returns (Next.js's `redirect()`).
 *
 * @example
 * ```ts
 * await signIn(web, { returnTo: '/dashboard' });
 * ```
 */
export async function signIn(
  web: LogtoWeb<Request>,
  options: SignInActionOptions = {},
): Promise<never> {
  const { location } = await withRequest(web, (request) => request.signIn(options));
  redirect(location);
}

/**
 * Signs out from a Server Action: revokes the refresh token (best effort), clears the session
 * cookie and redirects to Logto's end-session page. Never returns (Next.js's `redirect()`).
 *
 * @example
 * ```ts
 * await signOut(web);
 * ```
 */
export async function signOut(web: LogtoWeb<Request>): Promise<never> {
  const { location } = await withRequest(web, (request) => request.signOut());
  redirect(location);
}
