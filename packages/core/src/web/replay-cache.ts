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
 * await cache.seen?.('issuer\njti'); // false: not recorded yet
 * await cache.remember('issuer\njti', now + 300); // true the first time, false after
 * ```
 */
export interface ReplayCache {
  /**
   * Records `key` until `expiresAt` (seconds since the epoch). Returns `true` when it was not
   * recorded yet, `false` for a replay.
   */
  remember(key: string, expiresAt: number): boolean | Promise<boolean>;
  /**
   * Whether `key` is recorded (and not expired), without recording it. With it, a logout token
   * is checked first and recorded only once its sessions are ended, so a provider's retry after
   * a failure part-way (a store outage) finishes the job instead of being refused as a replay.
   * Without it, the token is recorded before the sessions are ended.
   */
  seen?(key: string): boolean | Promise<boolean>;
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
    if (this.seen(key)) return false;
    this.#seen.set(key, expiresAt);
    return true;
  }

  seen(key: string): boolean {
    const until = this.#seen.get(key);
    return until !== undefined && until > Math.floor(Date.now() / 1000);
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
