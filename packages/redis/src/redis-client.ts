import { createClient } from '@redis/client';

/**
 * What logto-kit needs from a Redis client: node-redis's `sendCommand`. Any node-redis client
 * fits (from `redis` or `@redis/client`, v4 to v6, with or without modules), so an app passes the
 * client it already has; another client fits through a one-line adapter.
 *
 * @example
 * ```ts
 * import { createClient } from '@redis/client'; // or from 'redis'
 * const client: RedisClientLike = await createClient({ url, disableOfflineQueue: true }).connect();
 * // ioredis: { sendCommand: ([name, ...args]) => ioredis.call(name, ...args) }
 * ```
 */
export interface RedisClientLike {
  sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown>;
}

/**
 * Options of {@link createRedisClient}.
 *
 * @example
 * ```ts
 * const options: CreateRedisClientOptions = { connectTimeout: 2000, onError: console.warn };
 * ```
 */
export interface CreateRedisClientOptions {
  /** Milliseconds to wait for a (re)connection; defaults to 2000. */
  connectTimeout?: number;
  /** The longest pause between reconnection attempts, in milliseconds; defaults to 1000. */
  maxReconnectDelay?: number;
  /** Called with connection errors (Redis down, reconnecting); defaults to ignoring them. */
  onError?: (error: Error) => void;
}

/**
 * The node-redis client a logto-kit app needs: commands fail at once while Redis is down
 * instead of queueing (`disableOfflineQueue`, so requests get a quick 503, not a hang), it
 * reconnects forever with a capped back-off (so the app recovers by itself), and connection
 * errors never crash the process. Resolves once connected.
 *
 * @example
 * ```ts
 * const redis = await createRedisClient(process.env.REDIS_URL!);
 * const store = new RedisSessionStore({ client: redis, secret });
 * // at shutdown:
 * await redis.close();
 * ```
 */
export async function createRedisClient(
  url: string,
  options: CreateRedisClientOptions = {},
): Promise<RedisClientLike & { close(): Promise<void> }> {
  const maxDelay = options.maxReconnectDelay ?? 1000;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeout ?? 2000,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** Math.min(retries, 10), maxDelay),
    },
  });
  const onError = options.onError ?? (() => {});
  client.on('error', onError);
  await client.connect();
  return {
    sendCommand: (args, commandOptions) => client.sendCommand(args, commandOptions),
    close: async () => {
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy(); // reconnecting: nothing to flush
    },
  };
}
