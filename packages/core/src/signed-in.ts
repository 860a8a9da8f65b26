/**
 * Who is signed in: the one rule behind `LogtoClient.isAuthenticated()` and the web
 * integrations' guard.
 *
 * @module
 */
import type { IdTokenClaims } from './claims.js';
import type { LogtoConfig } from './config.js';
import { decodeIdTokenClaims } from './id-token.js';
import { refreshSessionToken } from './refresh/session-refresh.js';
import type { Storage } from './storage.js';
import { resolveTokenTarget } from './tokens.js';

/**
 * The signed-in user's claims, or `undefined` when nobody is signed in.
 *
 * - While the stored ID token has not expired: its claims, with no network.
 * - Once it has expired: the session is proven with the provider first — a refresh, which also
 *   renews the ID token — so a copy of a session (a cookie taken before sign-out) stops working
 *   within one ID-token lifetime. A refused refresh throws `InvalidGrantError` (the caller ends
 *   the session); a provider outage throws its provider error.
 * - No ID token, an unreadable one, or an expired one with no refresh token: `undefined`.
 *
 * @example
 * ```ts
 * const claims = await provenClaims(client.config, storage);
 * if (!claims) return redirectToSignIn();
 * ```
 */
export async function provenClaims(
  config: LogtoConfig,
  storage: Storage,
  now: number = Date.now(),
): Promise<IdTokenClaims | undefined> {
  const idToken = await storage.get('idToken');
  const claims = readClaims(idToken);
  if (!claims) return undefined;
  if (claims.exp * 1000 > now) return claims;
  if (!(await storage.get('refreshToken'))) return undefined;
  await refreshSessionToken(config, storage, resolveTokenTarget(config));
  // The provider accepted the session; its new ID token (Logto always sends one) says who.
  const renewed = readClaims(await storage.get('idToken'));
  return renewed ?? claims;
}

function readClaims(idToken: string | null | undefined): IdTokenClaims | undefined {
  if (!idToken) return undefined;
  try {
    return decodeIdTokenClaims(idToken);
  } catch {
    return undefined; // an unreadable stored token is the same as none
  }
}
