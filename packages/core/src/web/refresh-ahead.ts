/**
 * Refresh ahead of expiry: what a place that can write cookies (a Next.js proxy) does before the
 * render that cannot (a Server Component), so the render finds every token it can ask for fresh.
 *
 * @module
 */
import { decodeJwt } from 'jose';
import type { LogtoConfig } from '../config.js';
import { decodeIdTokenClaims } from '../id-token.js';
import { refreshSessionToken } from '../refresh/session-refresh.js';
import {
  getOrganizationIdFromUrn,
  ORGANIZATION_URN_PREFIX,
  ReservedResource,
  UserInfoScope,
} from '../scopes.js';
import type { Storage } from '../storage.js';
import {
  type CachedAccessToken,
  readAccessTokenMap,
  resolveTokenTarget,
  type TokenTarget,
} from '../tokens.js';

/**
 * A token is refreshed ahead once this share of its lifetime is left (and never earlier than the
 * caller's `seconds`): with 5-second tokens and `seconds: 30`, about one grant per lifetime
 * rather than one per request.
 */
export const REFRESH_AHEAD_SHARE = 0.25;

/** At most this many organization tokens are fetched ahead (a user's first organizations). */
export const PREFETCHED_ORGANIZATIONS = 10;

/** Options of {@link refreshAhead}. */
export interface RefreshAheadOptions {
  /**
   * Also get the tokens the session does not hold yet but a later step can ask for by
   * configuration: each configured API resource, and — when the organizations scope is
   * configured — the token of each of the user's organizations (the ID token's
   * `organizations`, the first {@link PREFETCHED_ORGANIZATIONS}). Default `false`.
   */
  prefetch?: boolean | undefined;
}

/**
 * Refreshes, one grant after the other (each with the newest refresh token), every cached access
 * token due — within `seconds` of its expiry, or a quarter of its lifetime when that is shorter
 * ({@link REFRESH_AHEAD_SHARE}) — and the ID token by the same rule (the default token's grant
 * renews it); with `prefetch`, also the configured tokens the session lacks. Returns how many
 * grants were made; 0 when nobody is signed in or nothing is due. A refused refresh throws
 * `InvalidGrantError`, an outage its provider error.
 *
 * @example
 * ```ts
 * const grants = await refreshAhead(config, storage, 30, { prefetch: true });
 * ```
 */
export async function refreshAhead(
  config: LogtoConfig,
  storage: Storage,
  seconds: number,
  options: RefreshAheadOptions = {},
  now: number = Date.now(),
): Promise<number> {
  const idToken = await storage.get('idToken');
  if (!idToken || !(await storage.get('refreshToken'))) return 0;
  const nowSeconds = now / 1000;
  const due = (issuedAt: number | undefined, expiresAt: number): boolean =>
    expiresAt - nowSeconds <= aheadOf(seconds, issuedAt, expiresAt);
  const map = readAccessTokenMap(await storage.get('accessTokenMap'));
  const targets = new Map<string, TokenTarget>();
  for (const [key, entry] of Object.entries(map)) {
    if (!due(issuedAtOf(entry), entry.expiresAt)) continue;
    const target = targetOfKey(config, key);
    if (target) targets.set(target.key, target);
  }
  const claims = idTokenClaims(idToken);
  if (claims && due(claims.iat, claims.exp) && !targets.has('')) {
    targets.set('', resolveTokenTarget(config));
  }
  if (options.prefetch) {
    for (const target of configuredTargets(config, claims?.organizations)) {
      if (!(target.key in map)) targets.set(target.key, target);
    }
  }
  for (const target of targets.values()) await refreshSessionToken(config, storage, target);
  return targets.size;
}

/** How many seconds before `expiresAt` a token is due: `seconds`, or a share of its lifetime. */
function aheadOf(seconds: number, issuedAt: number | undefined, expiresAt: number): number {
  if (issuedAt === undefined || issuedAt >= expiresAt) return seconds;
  return Math.min(seconds, (expiresAt - issuedAt) * REFRESH_AHEAD_SHARE);
}

/** The tokens a later step can ask for by configuration (see {@link RefreshAheadOptions}). */
function configuredTargets(
  config: LogtoConfig,
  organizations: readonly string[] | undefined,
): TokenTarget[] {
  const targets = config.resources
    .filter((resource) => resource !== ReservedResource.Organization)
    .map((resource) => resolveTokenTarget(config, resource));
  if (config.scopes.includes(UserInfoScope.Organizations)) {
    for (const organizationId of (organizations ?? []).slice(0, PREFETCHED_ORGANIZATIONS)) {
      targets.push(resolveTokenTarget(config, undefined, organizationId));
    }
  }
  return targets;
}

/** When a cached token was issued: recorded since it was kept, else its JWT `iat`, if any. */
function issuedAtOf(entry: CachedAccessToken): number | undefined {
  if (entry.issuedAt !== undefined) return entry.issuedAt;
  try {
    return decodeJwt(entry.token).iat;
  } catch {
    return undefined; // opaque
  }
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

function idTokenClaims(
  idToken: string,
): { iat: number | undefined; exp: number; organizations: string[] | undefined } | undefined {
  try {
    const { iat, exp, organizations } = decodeIdTokenClaims(idToken);
    return { iat, exp, organizations: organizations ?? undefined };
  } catch {
    return undefined; // unreadable: nobody is signed in, nothing to renew
  }
}
