import { createHash } from 'node:crypto';
import type { ReplayCache } from '@logto-kit/core/store';
import { RedisRunner } from './lib/runner.js';
import type { RedisClientLike } from './redis-client.js';

/**
 * A {@link ReplayCache} on Redis: a back-channel logout token (`jti`) is processed once across
 * every instance (`EXISTS` before the sessions are ended, `SET key 1 NX EXAT expiresAt` after).
 *
 * @example
 * ```ts
 * app.use(logto({ ...options, backchannelLogout: { replayCache: new RedisReplayCache({ client }) } }));
 * ```
 */
export class RedisReplayCache implements ReplayCache {
  readonly #redis: RedisRunner;
  readonly #prefix: string;

  constructor(options: { client: RedisClientLike; prefix?: string; timeout?: number }) {
    if (typeof options?.client?.sendCommand !== 'function') {
      throw new TypeError('RedisReplayCache needs a connected node-redis client.');
    }
    this.#prefix = `${options.prefix ?? 'logto:'}jti:`;
    this.#redis = new RedisRunner(options.client, options.timeout ?? 2000);
  }

  async seen(key: string): Promise<boolean> {
    return (await this.#redis.command(['EXISTS', this.#name(key)])) === 1;
  }

  async remember(key: string, expiresAt: number): Promise<boolean> {
    const name = this.#name(key);
    const until = Math.max(Math.floor(expiresAt), Math.floor(Date.now() / 1000) + 1);
    const reply = await this.#redis.command(['SET', name, '1', 'NX', 'EXAT', String(until)]);
    return reply === 'OK';
  }

  #name(key: string): string {
    return this.#prefix + createHash('sha256').update(key).digest('base64url');
  }
}
