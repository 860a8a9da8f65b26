import { createClient } from '@redis/client';
import { connectCluster } from './lib/cluster-client.js';
import { readRedisSetting } from './lib/redis-setting.js';
import { connectSentinel } from './lib/sentinel-client.js';

/**
 * What logto-kit needs from a Redis client: node-redis's `sendCommand`. Any node-redis client
 * fits (from `redis` or `@redis/client`, v4 to v6, with or without modules), so an app passes the
 * client it already has; another client fits through a one-line adapter. A node-redis cluster
 * or Sentinel client takes other arguments: {@link createRedisClient} wraps them.
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
 * One string names the deployment, so it fits one environment variable:
 * - `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS): one Redis;
 * - `redis+cluster://[user:password@]host:port,host:port,…`: a Redis Cluster, from any of its
 *   nodes (the client finds the others and follows slot moves and fail-overs);
 * - `redis+sentinel://[user:password@]host:port,host:port,…/master-name`: the master that
 *   these sentinels watch, followed through fail-overs (the credentials are the master's).
 *
 * `rediss+cluster://` and `rediss+sentinel://` use TLS. A malformed setting throws a
 * `TypeError` that does not repeat it (it may hold a password).
 *
 * @example
 * ```ts
 * const redis = await createRedisClient(process.env.REDIS_URL!);
 * // or 'redis+cluster://10.0.0.1:7000,10.0.0.2:7000'
 * // or 'redis+sentinel://10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379/mymaster'
 * const store = new RedisSessionStore({ client: redis, secret });
 * // at shutdown:
 * await redis.close();
 * ```
 */
export async function createRedisClient(
  url: string,
  options: CreateRedisClientOptions = {},
): Promise<RedisClientLike & { close(): Promise<void> }> {
  const setting = readRedisSetting(url);
  const maxDelay = options.maxReconnectDelay ?? 1000;
  const socket = {
    connectTimeout: options.connectTimeout ?? 2000,
    reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 10), maxDelay),
  };
  const onError = options.onError ?? (() => {});
  if (setting.kind !== 'node') {
    const connect = setting.kind === 'cluster' ? connectCluster : connectSentinel;
    return connect(setting, socket, onError);
  }
  const client = createClient({ url: setting.url, disableOfflineQueue: true, socket });
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
