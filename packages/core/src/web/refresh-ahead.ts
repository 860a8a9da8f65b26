/**
 * Refresh ahead of expiry: what a place that can write cookies (a Next.js proxy) does before the
 * render that cannot (a Server Component), so the render finds every token it had still fresh.
 *
 * @module
 */
import type { LogtoConfig } from '../config.js';
import { decodeIdTokenClaims } from '../id-token.js';
import { refreshSessionToken } from '../refresh/session-refresh.js';
import { getOrganizationIdFromUrn, ORGANIZATION_URN_PREFIX } from '../scopes.js';
import type { Storage } from '../storage.js';
import { readAccessTokenMap, resolveTokenTarget, type TokenTarget } from '../tokens.js';

/**
 * Refreshes, one grant after the other (each with the newest refresh token), every cached access
 * token that expires within `seconds`, and the ID token when it does (the default token's grant
 * renews it). Returns how many grants were made; 0 when nobody is signed in or nothing is due.
 * A refused refresh throws `InvalidGrantError`, an outage its provider error.
 *
 * @example
 * ```ts
 * const grants = await refreshAhead(config, storage, 30);
 * ```
 */
export async function refreshAhead(
  config: LogtoConfig,
  storage: Storage,
  seconds: number,
  now: number = Date.now(),
): Promise<number> {
  const idToken = await storage.get('idToken');
  if (!idToken || !(await storage.get('refreshToken'))) return 0;
  const limit = now / 1000 + seconds;
  const targets: TokenTarget[] = [];
  for (const [key, entry] of Object.entries(
    readAccessTokenMap(await storage.get('accessTokenMap')),
  )) {
    if (entry.expiresAt > limit) continue;
    const target = targetOfKey(config, key);
    if (target) targets.push(target);
  }
  if (idTokenExpiry(idToken) <= limit && !targets.some((target) => target.key === '')) {
    targets.push(resolveTokenTarget(config));
  }
  for (const target of targets) await refreshSessionToken(config, storage, target);
  return targets.length;
}

/** The target a cache key was made for; `undefined` for one the config no longer allows. */
function targetOfKey(config: LogtoConfig, key: string): TokenTarget | undefined {
  const split = key.indexOf(`#${ORGANIZATION_URN_PREFIX}`);
  try {
    if (split === -1) return resolveTokenTarget(config, key || undefined);
    const organizationId = getOrganizationIdFromUrn(key.slice(split + 1));
    return resolveTokenTarget(config, key.slice(0, split), organizationId);
  } catch {
    return undefined; // a resource or organization scope removed from the config: left to expire
  }
}

function idTokenExpiry(idToken: string): number {
  try {
    return decodeIdTokenClaims(idToken).exp;
  } catch {
    return Number.POSITIVE_INFINITY; // unreadable: nobody is signed in, nothing to renew
  }
}
