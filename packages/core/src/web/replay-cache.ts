/**
 * Back-channel logout settings and the replay cache of logout token ids.
 *
 * @module
 */
import { LruCache } from '../lib/lru-cache.js';

/**
 * Remembers logout token ids (`jti`) so a token is processed once. Share one across instances
 * (e.g. `RedisReplayCache` from `@logto-kit/redis`) to refuse a replay at any of them.
 *
 * @example
 * ```ts
 * const cache: ReplayCache = new MemoryReplayCache();
 * await cache.remember('issuer\njti', now + 300); // true the first time, false after
 * ```
 */
export interface ReplayCache {
  /**
   * Records `key` until `expiresAt` (seconds since the epoch). Returns `true` when it was not
   * recorded yet, `false` for a replay.
   */
  remember(key: string, expiresAt: number): boolean | Promise<boolean>;
}

/**
 * A {@link ReplayCache} in this process's memory, bounded (the oldest entries go first).
 *
 * @example
 * ```ts
 * logto({ ...options, backchannelLogout: { replayCache: new MemoryReplayCache() } });
 * ```
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #seen: LruCache<string, number>;

  constructor(options: { maxEntries?: number } = {}) {
    this.#seen = new LruCache(options.maxEntries ?? 10_000);
  }

  remember(key: string, expiresAt: number): boolean {
    const now = Math.floor(Date.now() / 1000);
    const until = this.#seen.get(key);
    if (until !== undefined && until > now) return false;
    this.#seen.set(key, expiresAt);
    return true;
  }
}

/**
 * Options of the back-channel logout route.
 *
 * @example
 * ```ts
 * const options: BackchannelLogoutOptions = { maxAge: 120, replayCache: new MemoryReplayCache() };
 * ```
 */
export interface BackchannelLogoutOptions {
  /** The oldest logout token accepted, in seconds; defaults to 300. */
  maxAge?: number;
  /** Where logout token ids are remembered; defaults to one {@link MemoryReplayCache} per app. */
  replayCache?: ReplayCache;
}
