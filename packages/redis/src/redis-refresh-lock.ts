import { randomBytes } from 'node:crypto';
import type { RefreshLock, ReleaseLock } from '@logto-kit/core/store';
import { RedisRunner } from './lib/runner.js';
import { RELEASE_LOCK } from './lib/scripts.js';
import type { RedisClientLike } from './redis-client.js';

/**
 * Options of {@link RedisRefreshLock}.
 *
 * @example
 * ```ts
 * const options: RedisRefreshLockOptions = { client, prefix: 'shop:' };
 * ```
 */
export interface RedisRefreshLockOptions {
  /** A connected node-redis client (see `createRedisClient`). */
  readonly client: RedisClientLike;
  /** Prefix of every key; defaults to `logto:`. */
  readonly prefix?: string;
  /** Milliseconds before a Redis command counts as failed (→ 503); defaults to 2000. */
  readonly timeout?: number;
}

/**
 * Makes token refresh single-flight across every instance that shares one Redis: pass it as
 * `refreshLock` in the client (or `logto()`) options. The lock is `SET key token NX PX ttl`,
 * released by a Lua script only while it still holds this caller's random token, so a holder
 * that outlived its lock never frees someone else's. A holder that crashes never releases: the
 * lock expires and a waiting instance proceeds. Results are shared for 60 s, encrypted by the
 * client with a key derived from the refresh token they replace (Redis never sees a token).
 *
 * @example
 * ```ts
 * const client = await createRedisClient(process.env.REDIS_URL!);
 * app.use(logto({ ...options, refreshLock: new RedisRefreshLock({ client }) }));
 * ```
 */
export class RedisRefreshLock implements RefreshLock {
  readonly #redis: RedisRunner;
  readonly #prefix: string;

  constructor(options: RedisRefreshLockOptions) {
    if (typeof options?.client?.sendCommand !== 'function') {
      throw new TypeError('RedisRefreshLock needs a connected node-redis client.');
    }
    this.#prefix = `${options.prefix ?? 'logto:'}refresh:`;
    this.#redis = new RedisRunner(options.client, options.timeout ?? 2000);
  }

  async acquire(key: string, ttl: number): Promise<ReleaseLock | undefined> {
    const name = this.#prefix + key;
    const token = randomBytes(16).toString('base64url');
    const reply = await this.#redis.command(['SET', name, token, 'NX', 'PX', String(ttl)]);
    if (reply !== 'OK') return undefined;
    return async () => {
      await this.#redis.eval(RELEASE_LOCK, [name], [token]);
    };
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.#redis.command(['GET', this.#prefix + key]);
    return typeof value === 'string' ? value : undefined;
  }

  async set(key: string, value: string, ttl: number): Promise<void> {
    await this.#redis.command(['SET', this.#prefix + key, value, 'PX', String(ttl)]);
  }
}
