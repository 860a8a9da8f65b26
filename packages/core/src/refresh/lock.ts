/**
 * The hook that makes refresh single-flight across processes. Inside one process the client
 * already runs one grant per refresh token; with a `refreshLock` (for example
 * `RedisRefreshLock` from `@logto-kit/redis`) every instance that shares it does too, so a
 * rotating refresh token is never spent twice, whichever instance a request lands on.
 *
 * The client does the protocol: it derives the key names from a hash of the refresh token,
 * encrypts what it shares with a key derived from that refresh token (only a holder of the old
 * refresh token can read the new tokens), waits and polls, and follows rotations. An
 * implementation only provides a lock with expiry and a short-lived value store.
 *
 * @module
 */

/**
 * Releases a lock taken with {@link RefreshLock.acquire}, only if it is still held by this
 * caller (an expired lock that someone else took since is left alone).
 *
 * @example
 * ```ts
 * const release = await lock.acquire('k', 20_000);
 * if (release) await release();
 * ```
 */
export type ReleaseLock = () => Promise<void>;

/**
 * A lock with expiry and a short-lived value store, shared by every instance of an app. Keys are
 * opaque, URL-safe strings made by the client (hashes); values are encrypted by the client.
 * Methods reject with `SessionStoreUnavailableError` when the shared store cannot be reached:
 * the request then fails closed (503) rather than spending the refresh token uncoordinated.
 *
 * @example
 * ```ts
 * // A single-process implementation (what RedisRefreshLock does across processes):
 * const values = new Map<string, string>();
 * const lock: RefreshLock = {
 *   async acquire(key) {
 *     if (values.has(`lock:${key}`)) return undefined;
 *     values.set(`lock:${key}`, '1');
 *     return async () => void values.delete(`lock:${key}`);
 *   },
 *   async get(key) {
 *     return values.get(key);
 *   },
 *   async set(key, value) {
 *     values.set(key, value);
 *   },
 * };
 * new LogtoClient({ endpoint, appId, appSecret, refreshLock: lock }, { storage });
 * ```
 */
export interface RefreshLock {
  /**
   * Takes the lock `key` for `ttl` milliseconds if nobody holds it (Redis: `SET key token NX
   * PX ttl`). Returns the release function, or `undefined` when another caller holds it. A
   * holder that crashes never releases: the lock expires after `ttl` and a waiter proceeds.
   */
  acquire(key: string, ttl: number): Promise<ReleaseLock | undefined>;
  /** The value stored under `key`, or `undefined` when there is none (or it expired). */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttl` milliseconds. */
  set(key: string, value: string, ttl: number): Promise<void>;
}

/**
 * Whether `value` has the methods of a {@link RefreshLock}.
 *
 * @example
 * ```ts
 * if (!isRefreshLock(options.refreshLock)) throw new TypeError('not a RefreshLock');
 * ```
 */
export function isRefreshLock(value: unknown): value is RefreshLock {
  const lock = value as Partial<RefreshLock> | null;
  return (
    typeof lock === 'object' &&
    lock !== null &&
    typeof lock.acquire === 'function' &&
    typeof lock.get === 'function' &&
    typeof lock.set === 'function'
  );
}
