/**
 * Access tokens: the per-resource / per-organization cache kept in `accessTokenMap`. The
 * refresh-token grant that fills it lives in `refresh/` (start at `refresh/index.ts`).
 *
 * @module
 */
import { z } from 'zod';
import type { LogtoConfig } from './config.js';
import { OrganizationsScopeRequiredError } from './errors.js';
import { getOrganizationIdFromUrn, ORGANIZATION_URN_PREFIX, UserInfoScope } from './scopes.js';

/**
 * What an access token is for: the default (userinfo) token, a resource, an organization.
 *
 * @example
 * ```ts
 * const target: TokenTarget = resolveTokenTarget(config, undefined, 'org_1');
 * ```
 */
export interface TokenTarget {
  /** The API resource indicator; `undefined` for the default or organization token. */
  resource: string | undefined;
  organizationId: string | undefined;
  /** The key in `accessTokenMap`. */
  key: string;
}

const cachedTokenSchema = z.object({
  token: z.string(),
  /** Epoch seconds after which the token is not used any more (a margin included). */
  expiresAt: z.number(),
  scope: z.string().optional(),
  /**
   * Epoch seconds when the token was requested: with `expiresAt`, its lifetime (refresh ahead
   * by a share of it). Absent in sessions written before it was kept.
   */
  issuedAt: z.number().optional(),
  /**
   * Epoch seconds of the last use, kept coarse ({@link LAST_USED_GRANULARITY}) so reading a
   * cached token does not rewrite the session on every request. When a cookie session runs out
   * of room, the least recently used tokens are left out first.
   */
  lastUsedAt: z.number().optional(),
});

/** How stale `lastUsedAt` may get before a cache hit records a new use: 5 minutes. */
export const LAST_USED_GRANULARITY = 300;

/**
 * The entry with its use recorded, or `undefined` when the recorded use is recent enough.
 *
 * @example
 * ```ts
 * const touched = touchCachedToken(entry);
 * if (touched) await storage.set('accessTokenMap', JSON.stringify({ ...map, [key]: touched }));
 * ```
 */
export function touchCachedToken(
  entry: CachedAccessToken,
  now: number = Date.now(),
): CachedAccessToken | undefined {
  const seconds = Math.floor(now / 1000);
  if (seconds - (entry.lastUsedAt ?? 0) < LAST_USED_GRANULARITY) return undefined;
  return { ...entry, lastUsedAt: seconds };
}

/**
 * One cached access token.
 *
 * @example
 * ```ts
 * const entry: CachedAccessToken = { token, expiresAt: accessTokenExpiry(start, 3600) };
 * ```
 */
export type CachedAccessToken = z.infer<typeof cachedTokenSchema>;

/**
 * The `accessTokenMap` value: cached tokens by {@link TokenTarget.key}.
 *
 * @example
 * ```ts
 * const map: AccessTokenMap = readAccessTokenMap(await storage.get('accessTokenMap'));
 * ```
 */
export type AccessTokenMap = Record<string, CachedAccessToken>;

/**
 * Resolves what `getAccessToken(resource, { organizationId })` asks for. An organization URN as
 * the resource means that organization's token (the seed SDK's convention). Throws a
 * `TypeError` for a resource that is not configured (Logto would answer `invalid_target`) and
 * {@link OrganizationsScopeRequiredError} for an organization without the scope.
 *
 * @example
 * ```ts
 * resolveTokenTarget(config, 'https://api.example.com'); // { key: 'https://api.example.com', … }
 * resolveTokenTarget(config, undefined, 'org_1'); // { key: 'urn:logto:organization:org_1', … }
 * ```
 */
export function resolveTokenTarget(
  config: LogtoConfig,
  resource?: string,
  organizationId?: string,
): TokenTarget {
  let target = resource || undefined;
  let organization = organizationId || undefined;
  if (target?.startsWith(ORGANIZATION_URN_PREFIX) && organization === undefined) {
    organization = getOrganizationIdFromUrn(target);
    target = undefined;
  }
  if (target !== undefined && !config.resources.includes(target)) {
    throw new TypeError(
      'This resource is not in the client config "resources"; add it there so sign-in requests it.',
    );
  }
  if (organization !== undefined && !config.scopes.includes(UserInfoScope.Organizations)) {
    throw new OrganizationsScopeRequiredError();
  }
  const key =
    organization === undefined
      ? (target ?? '')
      : `${target ?? ''}#${ORGANIZATION_URN_PREFIX}${organization}`.replace(/^#/, '');
  return { resource: target, organizationId: organization, key };
}

/**
 * Reads `accessTokenMap`. A missing or corrupt value reads as empty (the tokens are fetched
 * again), never as an error.
 *
 * @example
 * ```ts
 * const map = readAccessTokenMap(await storage.get('accessTokenMap'));
 * ```
 */
export function readAccessTokenMap(raw: string | null | undefined): AccessTokenMap {
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {}; // a corrupt cache only costs a refresh
  }
  const parsed = z.record(z.string(), cachedTokenSchema).safeParse(json);
  return parsed.success ? parsed.data : {};
}

/**
 * Whether a cached token can still be used (its expiry already includes a safety margin).
 *
 * @example
 * ```ts
 * if (isFresh(map[key])) return map[key].token;
 * ```
 */
export function isFresh(
  entry: CachedAccessToken | undefined,
  now: number = Date.now(),
): entry is CachedAccessToken {
  return entry !== undefined && now < entry.expiresAt * 1000;
}

/**
 * When to stop using an access token: the request start plus `expires_in`, minus a margin of
 * a tenth of its lifetime capped at 60 s (so a token is never used in its last moments, and
 * short-lived tokens are still cached). Epoch seconds.
 *
 * @example
 * ```ts
 * accessTokenExpiry(Date.now(), 3600); // now + 3540 s
 * ```
 */
export function accessTokenExpiry(requestStartedAt: number, expiresIn: number | undefined): number {
  const lifetime = expiresIn ?? 3600;
  const margin = Math.min(60, lifetime / 10);
  return Math.floor(requestStartedAt / 1000 + lifetime - margin);
}
