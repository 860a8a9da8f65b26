/**
 * Catching a session up with a rotation: a session that still carries a refresh token this
 * process already spent gets the newest tokens, so every response written after a rotation
 * carries them. In cookie mode a burst of requests returns several cookies and the browser keeps
 * whichever arrives last; without this, a response that loaded the session before the rotation
 * would write the spent token back, and the next refresh elsewhere would replay it (strict
 * rotation then revokes the grant).
 *
 * @module
 */
import type { LogtoConfig } from '../config.js';
import { decodeIdTokenClaims } from '../id-token.js';
import type { Storage } from '../storage.js';
import { readAccessTokenMap } from '../tokens.js';
import { refreshCoordinator } from './coordinator.js';
import { refreshScope } from './session-refresh.js';

/**
 * When the stored refresh token was rotated by this process within the grace period, stores the
 * newest refresh token (and ID token, when it is about the same user) and returns true. No
 * network; one hash of the refresh token.
 *
 * @example
 * ```ts
 * if (await catchUpRotation(config, storage)) logger.debug('caught up with a rotation');
 * ```
 */
export async function catchUpRotation(config: LogtoConfig, storage: Storage): Promise<boolean> {
  const refreshToken = await storage.get('refreshToken');
  if (!refreshToken) return false;
  const found = await refreshCoordinator.latest(refreshScope(config), refreshToken);
  if (!found) return false;
  const { result: latest, byTarget } = found;
  const idToken = await storage.get('idToken');
  const stored = idToken ? safeClaims(idToken) : undefined;
  if (latest.idTokenClaims && stored && latest.idTokenClaims.sub !== stored.sub) return false;
  if (latest.idToken) await storage.set('idToken', latest.idToken);
  await storage.set('refreshToken', latest.refreshToken);
  // The access tokens those grants got, so the session does not refresh again for them.
  const map = readAccessTokenMap(await storage.get('accessTokenMap'));
  const now = Math.floor(Date.now() / 1000);
  for (const [key, result] of byTarget) {
    if (result.expiresAt <= now || (map[key]?.expiresAt ?? 0) >= result.expiresAt) continue;
    map[key] = {
      token: result.accessToken,
      expiresAt: result.expiresAt,
      issuedAt: result.issuedAt,
      scope: result.scope,
      lastUsedAt: now,
    };
  }
  await storage.set('accessTokenMap', JSON.stringify(map));
  return true;
}

function safeClaims(idToken: string): { sub: string } | undefined {
  try {
    return decodeIdTokenClaims(idToken);
  } catch {
    return undefined; // an unreadable stored token: nothing to compare with
  }
}
