import type { IdTokenClaims } from '@logto-kit/core';
import { redirect } from 'next/navigation';
import { logto } from '../../lib/logto';

/**
 * The signed-in user's claims; a signed-out visitor goes to sign-in and comes back to `path`.
 * The proxy already does this for /protected; a page checks again rather than trust a matcher.
 */
export async function signedIn(path: string): Promise<IdTokenClaims> {
  const { routes, getLogto } = await logto();
  const claims = await getLogto().getClaims();
  if (!claims) redirect(`${routes.signIn}?returnTo=${encodeURIComponent(path)}`);
  return claims;
}
