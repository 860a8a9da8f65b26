// Test fixture: the dev server and an Express app signed in through it, on free loopback ports.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DevServer,
  defaultSeed,
  demo,
  type SeedInput,
  startDevServer,
} from '@logto-kit/dev-server';
import type { LogtoExpressOptions } from '@logto-kit/express';
import type { Express } from 'express';

export interface TestEnv {
  idp: DevServer;
  baseUrl: string;
  server: Server;
  close(): Promise<void>;
}

export const sessionSecret = 'a-test-session-secret-that-is-long-enough-0123456789';

/**
 * Starts an app server (the handler is set by `build`), then the dev server with the app's
 * redirect URIs, then builds the app with options pointing at both.
 */
export async function startTestEnv(
  build: (options: LogtoExpressOptions) => Express,
  overrides: { seed?: (seed: SeedInput) => SeedInput; options?: Partial<LogtoExpressOptions> } = {},
): Promise<TestEnv> {
  let app: Express | undefined;
  const server = createServer((req, res) => {
    if (app) app(req, res);
    else res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://localhost:${port}`;
  const seed = defaultSeed({ appBaseUrl: baseUrl });
  const idp = await startDevServer({ port: 0, quiet: true, seed: overrides.seed?.(seed) ?? seed });
  app = build({
    endpoint: idp.endpoint,
    appId: demo.appId,
    appSecret: demo.appSecret,
    baseUrl,
    scopes: ['email', 'custom_data', 'urn:logto:scope:organizations', 'roles', 'read'],
    resources: [demo.resource],
    session: { secret: sessionSecret },
    ...overrides.options,
  });
  return {
    idp,
    baseUrl,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await idp.close();
    },
  };
}
