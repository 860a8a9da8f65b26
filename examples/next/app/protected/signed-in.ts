import type { LogtoUser, RequireUserOptions } from '@logto-kit/next';
import { logto } from '../../lib/logto';

/**
 * The signed-in user (who passes `rules`); a signed-out visitor goes to sign-in and comes back
 * to `path`, a user who fails a rule gets a 404 (Next.js 16 has no 403 for a render without
 * `experimental.authInterrupts`; the proxy answers the real 403 first). The proxy already
 * checks /protected; a page checks again rather than trust a matcher.
 */
export async function signedIn(
  path: string,
  rules: Omit<RequireUserOptions, 'returnTo'> = {},
): Promise<LogtoUser> {
  return (await logto()).requireUser({ ...rules, returnTo: path });
}
