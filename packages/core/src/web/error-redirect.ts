/**
 * What a step that cannot answer with a page of its own (a Next.js Server Component) does with
 * an error: the browser goes to sign-in, or through the refresh route (which tries again and
 * answers the error's page), or the error is thrown.
 *
 * @module
 */
import { isLogtoError, RefreshDeferredError } from '../errors.js';

/** Errors that mean the provider no longer accepts the session, or it has no tokens left. */
export function endsSession(code: string): boolean {
  return code === 'oauth.invalid_grant' || code === 'not_authenticated';
}

/** Outages the refresh route tries again, answering its 503/504 page with "Try again". */
const retriedCodes: ReadonlySet<string> = new Set([
  'provider.unavailable',
  'provider.timeout',
  'session_store.unavailable',
]);

/**
 * Where to send the browser for `error` from a step that cannot send a page: `'signIn'` when the
 * session has ended (a refused refresh token, nobody signed in), `'refresh'` for a deferred
 * refresh or an outage (the refresh route makes the refresh, or answers "Try again"), and
 * `undefined` for anything else (the step throws it).
 *
 * @example
 * ```ts
 * if (redirectForError(error) === 'signIn') redirect(`/auth/sign-in?returnTo=${path}`);
 * ```
 */
export function redirectForError(error: unknown): 'signIn' | 'refresh' | undefined {
  if (!isLogtoError(error)) return undefined;
  if (endsSession(error.code)) return 'signIn';
  if (error instanceof RefreshDeferredError || retriedCodes.has(error.code)) return 'refresh';
  return undefined;
}
