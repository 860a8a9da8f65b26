import type { LogtoWebOptions, SessionStore } from '@logto-kit/core';
import {
  createRedisClient,
  RedisRefreshLock,
  RedisReplayCache,
  RedisSessionStore,
} from '@logto-kit/redis';
import { type ExampleConfig, withoutCredentials } from './config.js';

/**
 * What several instances of an example share when `SESSION_STORE` is set (`redis://…`,
 * `redis+cluster://…` or `redis+sentinel://…`).
 */
export interface ScaleOut extends Pick<LogtoWebOptions, 'refreshLock' | 'backchannelLogout'> {
  store?: SessionStore;
}

/**
 * Sessions, refreshes and back-channel logouts in Redis when the config names one; nothing
 * (cookie sessions, in-process refresh) otherwise.
 *
 * @example
 * const scaleOut = await scaleOutFrom(config);
 * createApp(config, scaleOut);
 */
export async function scaleOutFrom(config: ExampleConfig): Promise<ScaleOut> {
  if (!config.sessionStore) return {};
  const client = await createRedisClient(config.sessionStore, {
    onError: (error) => console.warn(`Redis: ${error.message}`),
  });
  console.log(`Sessions are kept in Redis (${withoutCredentials(config.sessionStore)}).`);
  return {
    store: new RedisSessionStore({ client, secret: config.sessionSecret }),
    refreshLock: new RedisRefreshLock({ client }),
    backchannelLogout: { replayCache: new RedisReplayCache({ client }) },
  };
}
