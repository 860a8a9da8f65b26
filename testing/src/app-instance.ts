// Run as a child process (see app-instances.ts): one instance of an Express app on Redis (sessions,
// refresh lock, logout replay cache), as a deployment runs several behind a load balancer. Each
// process has its own in-process refresh coordinator, so only Redis connects the instances.
import type { AddressInfo } from 'node:net';
import { authenticated, logto, logtoErrorHandler } from '@logto-kit/express';
import {
  createRedisClient,
  RedisRefreshLock,
  RedisReplayCache,
  RedisSessionStore,
} from '@logto-kit/redis';
import express from 'express';

export interface InstanceSettings {
  baseUrl: string;
  endpoint: string;
  appId: string;
  appSecret: string;
  /** Without it, sessions live in cookies and nothing is shared (cookie mode). */
  redisUrl?: string;
  secret: string;
  /** Without it the instances share sessions but not refreshes (the bug this package fixes). */
  refreshLock: boolean;
  /** The provider timeout in ms (the default 10 s when absent). */
  timeout?: number;
  /** Seconds between rewrites of an unchanged session (cookie mode makes this a Set-Cookie). */
  touchInterval?: number;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as InstanceSettings;
const client = settings.redisUrl ? await createRedisClient(settings.redisUrl) : undefined;
const { secret } = settings;
const touch = settings.touchInterval ? { touchInterval: settings.touchInterval } : {};

const app = express();
app.use(
  logto({
    endpoint: settings.endpoint,
    appId: settings.appId,
    appSecret: settings.appSecret,
    baseUrl: settings.baseUrl,
    ...(settings.timeout ? { timeout: settings.timeout } : {}),
    ...(client
      ? {
          session: { secret, store: new RedisSessionStore({ client, secret }), ...touch },
          ...(settings.refreshLock ? { refreshLock: new RedisRefreshLock({ client }) } : {}),
          backchannelLogout: { replayCache: new RedisReplayCache({ client }) },
        }
      : { session: { secret, ...touch } }),
  }),
);
app.get('/', (_req, res) => {
  res.json({ home: true });
});
app.get('/protected', authenticated(), (req, res) => {
  res.json({ sub: req.user?.sub, instance: process.pid });
});
app.get('/slow', authenticated(), async (req, res) => {
  await new Promise((resolve) => setTimeout(resolve, Number(req.query.ms ?? 1_000)));
  res.json({ sub: req.user?.sub, instance: process.pid });
});
app.get('/api/token', authenticated(), async (req, res, next) => {
  try {
    const token = await req.logto.getAccessToken();
    res.json({ ok: token.length > 0, instance: process.pid });
  } catch (error) {
    next(error);
  }
});
app.use(logtoErrorHandler());

const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
});
process.on('message', (message: { type: string }) => {
  if (message.type !== 'exit') return;
  server.closeAllConnections();
  server.close(() => {
    void (client?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  });
});
