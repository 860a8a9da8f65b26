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
  const latest = await refreshCoordinator.latest(refreshScope(config), refreshToken);
  if (!latest) return false;
  const idToken = await storage.get('idToken');
  const stored = idToken ? safeClaims(idToken) : undefined;
  if (latest.idTokenClaims && stored && latest.idTokenClaims.sub !== stored.sub) return false;
  if (latest.idToken) await storage.set('idToken', latest.idToken);
  await storage.set('refreshToken', latest.refreshToken);
  return true;
}

function safeClaims(idToken: string): { sub: string } | undefined {
  try {
    return decodeIdTokenClaims(idToken);
  } catch {
    return undefined; // an unreadable stored token: nothing to compare with
  }
}
