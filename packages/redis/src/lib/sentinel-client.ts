// The master that Sentinel names, behind logto-kit's `sendCommand(args)`, followed through
// fail-overs.
import { createSentinel } from '@redis/client';
import {
  type ConnectedClient,
  credentials,
  type NetworkSetting,
  type SocketSettings,
} from './connection.js';
import { failFast } from './fail-fast.js';

/**
 * Connects to the master of `setting.name`; resolves once connected. While the master is gone,
 * node-redis's Sentinel client holds a command until it finds the master again instead of
 * failing at once as a single node does: the commands in flight wait for the store's `timeout`
 * (2 s by default), then {@link failFast} refuses the others at once while one probe waits, so
 * requests get a quick 503 for the rest of the fail-over.
 */
export async function connectSentinel(
  setting: NetworkSetting,
  socket: SocketSettings,
  onError: (error: Error) => void,
): Promise<ConnectedClient> {
  const tls = setting.tls ? { tls: true as const } : {};
  const sentinel = createSentinel({
    name: setting.name,
    sentinelRootNodes: setting.nodes.map(({ host, port }) => ({ host, port })),
    nodeClientOptions: {
      ...credentials(setting),
      disableOfflineQueue: true,
      socket: { ...socket, ...tls },
    },
    sentinelClientOptions: { socket: { ...socket, ...tls } },
  });
  sentinel.on('error', onError);
  sentinel.on('client-error', (event: { error: Error }) => onError(event.error));
  await sentinel.connect();
  return {
    sendCommand: failFast((args, options) => sentinel.sendCommand(false, args, options), 2000),
    close: async () => {
      if (sentinel.isReady) await sentinel.close();
      else if (sentinel.isOpen) await sentinel.destroy();
    },
  };
}
