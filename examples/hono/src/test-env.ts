// Test fixture: the dev server and the example app (on @hono/node-server) on free loopback ports.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { defaultSeed, demo, startDevServer } from '@logto-kit/dev-server';
import { readConfig } from '@logto-kit/example-shared';
import type { ExampleEnv } from '@logto-kit/example-shared/testing';
import type { LogtoEnv } from '@logto-kit/hono';
import type { Hono } from 'hono';
import { createApp } from './app.js';

export async function startExample(): Promise<ExampleEnv> {
  let app: Hono<LogtoEnv> | undefined;
  const server = createAdaptorServer({
    fetch: (request) => app?.fetch(request) ?? new Response(null, { status: 503 }),
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://localhost:${port}`;
  const idp = await startDevServer({
    port: 0,
    quiet: true,
    seed: defaultSeed({ appBaseUrl: baseUrl }),
  });
  app = createApp(
    readConfig({
      PORT: String(port),
      LOGTO_ENDPOINT: idp.endpoint,
      LOGTO_APP_ID: demo.appId,
      LOGTO_APP_SECRET: demo.appSecret,
      LOGTO_RESOURCE: demo.resource,
      LOGTO_SCOPES: 'read write read:projects',
    }),
  );
  return {
    idp,
    baseUrl,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await idp.close();
    },
  };
}
