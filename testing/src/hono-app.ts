// Test fixture: the dev server, and Hono apps reached through app.request() (no app server).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Credentials,
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
import type { LogtoHonoOptions } from '@logto-kit/hono';
import type { Env, Hono } from 'hono';

/** The app's base URL. Nothing listens there: {@link userOf} hands its requests to the app. */
export const appBaseUrl = 'http://localhost:3000';
export const sessionSecret = 'a-test-session-secret-that-is-long-enough-0123456789';
export const credentials: Credentials = { username: demo.username, password: demo.password };

export function startIdp(appUrl = appBaseUrl): Promise<DevServer> {
  return startDevServer({ port: 0, quiet: true, seed: defaultSeed({ appBaseUrl: appUrl }) });
}

/** Options for the dev server's confidential demo app, with every scope the tests read. */
export function optionsFor(
  endpoint: string,
  overrides: Partial<LogtoHonoOptions> = {},
): LogtoHonoOptions {
  return {
    endpoint,
    appId: demo.appId,
    appSecret: demo.appSecret,
    baseUrl: appBaseUrl,
    scopes: ['email', 'custom_data', 'urn:logto:scope:organizations', 'roles', 'read'],
    resources: [demo.resource],
    session: { secret: sessionSecret },
    ...overrides,
  };
}

/**
 * A user with a cookie jar whose requests to the app go to `app.request()` and everything
 * else (the dev server) over the network, following redirects across both.
 */
export function userOf<E extends Env>(app: Hono<E>, who: Credentials = credentials): HeadlessUser {
  const fetchImpl: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    return url.origin === appBaseUrl
      ? Promise.resolve(app.request(url.href, init))
      : fetch(input, init);
  };
  return new HeadlessUser(who, fetchImpl);
}

/** Names of the cookies a response sets (cleared ones included). */
export const setCookieNames = (response: Response): string[] =>
  response.headers.getSetCookie().map((cookie) => cookie.slice(0, cookie.indexOf('=')));

/** A provider that misbehaves at the HTTP level: never answers, or answers garbage. */
export async function faultyProvider(
  fault: 'hang' | 'garbage',
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    if (fault === 'garbage') res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>oops');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://localhost:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (the provider is down). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
