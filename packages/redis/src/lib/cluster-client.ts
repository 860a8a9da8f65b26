// A Redis Cluster behind logto-kit's `sendCommand(args)`: each command goes to the master of
// its key's slot; the client follows slot moves and fail-overs by itself.
import { createCluster } from '@redis/client';
import {
  type ConnectedClient,
  credentials,
  type NetworkSetting,
  type SocketSettings,
} from './connection.js';

/**
 * The key a cluster routes a command by: the first key of a script (`EVAL`, `EVALSHA`), the
 * first argument of the other commands logto-kit sends (`GET`, `SET`, `HGET`, `DEL`, …).
 */
export function routingKey(args: string[]): string | undefined {
  const name = args[0]?.toUpperCase();
  if (name === 'EVAL' || name === 'EVALSHA' || name === 'EVAL_RO' || name === 'EVALSHA_RO') {
    return Number(args[2]) > 0 ? args[3] : undefined;
  }
  return args[1];
}

/** Connects to a cluster from its seed nodes; resolves once the slots are known. */
export async function connectCluster(
  setting: NetworkSetting,
  socket: SocketSettings,
  onError: (error: Error) => void,
): Promise<ConnectedClient> {
  const scheme = setting.tls ? 'rediss' : 'redis';
  const cluster = createCluster({
    rootNodes: setting.nodes.map(({ host, port }) => ({
      url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    })),
    defaults: {
      ...credentials(setting),
      disableOfflineQueue: true,
      socket: { ...socket, ...(setting.tls ? { tls: true as const } : {}) },
    },
    // A node that went away: look for its slots' new master soon, not after the default 5 s.
    topologyRefreshOnReconnectionAttemptStrategy: 200,
  });
  cluster.on('error', onError);
  cluster.on('node-error', onError);
  await cluster.connect();
  return {
    sendCommand: (args, options) => cluster.sendCommand(routingKey(args), false, args, options),
    close: async () => {
      if (cluster.isReady) await cluster.close();
      else if (cluster.isOpen) cluster.destroy();
    },
  };
}
