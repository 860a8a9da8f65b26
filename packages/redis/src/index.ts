export type { CreateRedisClientOptions, RedisClientLike } from './redis-client.js';
export { createRedisClient } from './redis-client.js';
export type { RedisRefreshLockOptions } from './redis-refresh-lock.js';
export { RedisRefreshLock } from './redis-refresh-lock.js';
export { RedisReplayCache } from './redis-replay-cache.js';
export type { RedisSessionStoreOptions } from './redis-session-store.js';
export { RedisSessionStore } from './redis-session-store.js';
