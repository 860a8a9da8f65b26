import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import { MemorySessionStore } from '@logto-kit/core';
import { type DevServer, demo, HeadlessUser } from '@logto-kit/dev-server';
import {
  appBaseUrl,
  credentials,
  optionsFor,
  sessionSecret,
  startIdp,
} from '@logto-kit/testing/hono-app';
import { Hono } from 'hono';
import { authenticated, type LogtoEnv, logto, logtoErrorHandler } from './index.js';
import type { LogtoHonoOptions } from './middleware.js';

function buildApp(options: LogtoHonoOptions): Hono<LogtoEnv> {
  const app = new Hono<LogtoEnv>();
  app.use(logto(options));
  app.get('/api/me', authenticated(), (c) => c.json({ sub: c.get('user').sub }));
  app.onError(logtoErrorHandler());
  return app;
}

const form = (body: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body,
});

describe('Hono: POST /backchannel-logout with cookie sessions', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startIdp();
  });
  after(() => idp.close());

  it('answers 400 and says that cookie sessions cannot be ended from the server', async () => {
    const app = buildApp(optionsFor(idp.endpoint));
    const response = await app.request(
      `${appBaseUrl}/backchannel-logout`,
      form('logout_token=eyJ'),
    );
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'invalid_request');
    assert.match(body.error_description, /server-side sessions/);
    assert.deepEqual(response.headers.getSetCookie(), []);
  });

  it('answers 400 with a JSON error for a token that is not a signed JWT, never 500', async () => {
    const app = buildApp(
      optionsFor(idp.endpoint, {
        session: { secret: sessionSecret, store: new MemorySessionStore() },
      }),
    );
    for (const body of ['', 'logout_token=', 'logout_token=a.b.c', 'x'.repeat(70_000)]) {
      const response = await app.request(`${appBaseUrl}/backchannel-logout`, form(body));
      assert.equal(response.status, 400, `body of ${body.length} characters`);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
    }
  });
});

describe('Hono: back-channel logout over real HTTP with a session store', () => {
  let idp: DevServer;
  let baseUrl: string;
  let server: ReturnType<typeof createAdaptorServer>;

  before(async () => {
    let app: Hono<LogtoEnv> | undefined;
    server = createAdaptorServer({ fetch: (request) => app?.fetch(request) ?? new Response() });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
    idp = await startIdp(baseUrl);
    app = buildApp(
      optionsFor(idp.endpoint, {
        baseUrl,
        session: { secret: sessionSecret, store: new MemorySessionStore() },
      }),
    );
  });
  after(async () => {
    server.close();
    await idp.close();
  });

  it('ends the session when the user signs out at the provider', async () => {
    const user = new HeadlessUser(credentials);
    await user.visit(`${baseUrl}/sign-in`);
    const signedIn = await user.request(`${baseUrl}/api/me`);
    assert.equal(signedIn.status, 200);
    await signedIn.body?.cancel();
    const endSession = new URL(`${idp.issuer}/session/end`);
    endSession.searchParams.set('client_id', demo.appId);
    endSession.searchParams.set('post_logout_redirect_uri', `${baseUrl}/`);
    await user.signOut(endSession.href); // the provider posts the logout token to the app
    const afterwards = await user.request(`${baseUrl}/api/me`);
    assert.equal(afterwards.status, 401);
    await afterwards.body?.cancel();
  });
});
