// What the cluster and Sentinel connections share with the single-node one.
import type { RedisSetting } from './redis-setting.js';

/** The socket settings of every connection: a connect timeout and a capped back-off. */
export interface SocketSettings {
  connectTimeout: number;
  reconnectStrategy: (retries: number) => number;
}

/** A cluster or Sentinel setting. */
export type NetworkSetting = Exclude<RedisSetting, { kind: 'node' }>;

/** The credentials of a setting, as node-redis client options. */
export function credentials(setting: NetworkSetting): { username?: string; password?: string } {
  return {
    ...(setting.username === undefined ? {} : { username: setting.username }),
    ...(setting.password === undefined ? {} : { password: setting.password }),
  };
}

/** A connected client: logto-kit's `sendCommand(args)`, and `close()`. */
export interface ConnectedClient {
  sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown>;
  close(): Promise<void>;
}
