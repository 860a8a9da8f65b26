import { epochSeconds } from './seal.js';

/**
 * The storage key of the access token cache, as the seed names it.
 *
 * @example
 * ```ts
 * const cache = storage.get(ACCESS_TOKEN_MAP_KEY);
 * ```
 */
export const ACCESS_TOKEN_MAP_KEY = 'accessTokenMap';

/**
 * Options of {@link dropLeastRecentlyUsedTokens}. Times are in seconds since the epoch.
 *
 * @example
 * ```ts
 * const options: DropTokensOptions = { now: epochSeconds(), bytes: 1500 };
 * ```
 */
export interface DropTokensOptions {
  /** The storage key of the cache; defaults to {@link ACCESS_TOKEN_MAP_KEY}. */
  readonly key?: string;
  readonly now?: number;
  /**
   * Keep dropping until at least this many bytes of the serialised session are freed (as the
   * cache appears inside the session JSON, escaped). Defaults to 0: exactly one entry.
   */
  readonly bytes?: number;
}

type Entries = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readTokenMap(
  raw: string,
): { entries: Entries; wrap: (entries: Entries) => unknown } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined; // not JSON: the cache is unusable, and the caller removes it
  }
  if (!isObject(parsed)) return undefined;
  // The seed stores `{ "x": { <key>: entry } }`; a flat `{ <key>: entry }` is accepted too.
  const keys = Object.keys(parsed);
  if (keys.length === 1 && keys[0] === 'x' && isObject(parsed.x) && !('token' in parsed.x)) {
    return { entries: parsed.x, wrap: (entries) => ({ ...parsed, x: entries }) };
  }
  return { entries: parsed, wrap: (entries) => entries };
}

function numberField(entry: unknown, field: string): number {
  const value = isObject(entry) ? entry[field] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Lower ranks go first: unusable or expired, then least recently used, then soonest to expire. */
function rank(entry: unknown, now: number): [number, number, number] {
  const expiresAt = numberField(entry, 'expiresAt');
  const usable = isObject(entry) && typeof entry.token === 'string' && expiresAt > now;
  return [usable ? 1 : 0, numberField(entry, 'lastUsedAt'), expiresAt];
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < a.length; index += 1) {
    const difference = a[index]! - b[index]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The bytes an entry takes inside the session JSON, where the cache is an escaped string. */
function footprint(name: string, entry: unknown): number {
  return JSON.stringify(`${JSON.stringify(name)}:${JSON.stringify(entry)},`).length - 2;
}

/**
 * Removes cached access tokens from the session data's `accessTokenMap` (a JSON string of
 * `{ [resourceOrOrganizationKey]: { token, expiresAt, lastUsedAt? } }`, or the seed's
 * `{ x: { … } }`): unusable or expired entries first, then the least recently used
 * (`lastUsedAt`; missing counts as oldest), ties broken by the earliest `expiresAt`. One entry
 * by default, or as many as free `bytes`. The map is removed when it becomes empty, or when it
 * does not parse. Use it as the `shrink` of {@link fitToBudget}: a token left out is fetched
 * again with the refresh token when it is next needed.
 *
 * @returns `false` when there was nothing to remove.
 *
 * @example
 * ```ts
 * const data = { ...session.data };
 * while (tooBig(data) && dropLeastRecentlyUsedTokens(data)) {}
 * ```
 */
export function dropLeastRecentlyUsedTokens(
  data: Record<string, string>,
  options: DropTokensOptions = {},
): boolean {
  const key = options.key ?? ACCESS_TOKEN_MAP_KEY;
  const raw = data[key];
  if (raw === undefined) return false;
  const map = readTokenMap(raw);
  const now = options.now ?? epochSeconds();
  const names = map ? Object.keys(map.entries) : [];
  if (!map || names.length === 0) {
    delete data[key];
    return true;
  }
  const ranked = names
    .map((name) => ({ name, rank: rank(map.entries[name], now) }))
    .sort((a, b) => compareRanks(a.rank, b.rank));
  const remaining: Entries = { ...map.entries };
  let freed = 0;
  for (const { name } of ranked) {
    freed += footprint(name, remaining[name]);
    delete remaining[name];
    if (freed >= (options.bytes ?? 0)) break;
  }
  if (Object.keys(remaining).length === 0) delete data[key];
  else data[key] = JSON.stringify(map.wrap(remaining));
  return true;
}
