import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import { type DevServer, demo, HeadlessUser } from '@logto-kit/dev-server';
import { credentials, optionsFor, startIdp } from '@logto-kit/testing/hono-app';
import { Hono } from 'hono';
import { authenticated, type LogtoEnv, logto, logtoErrorHandler } from './index.js';

describe('over real HTTP with @hono/node-server', () => {
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
    app = new Hono<LogtoEnv>();
    app.use(logto(optionsFor(idp.endpoint, { baseUrl })));
    app.get('/', (c) => c.text('home'));
    app.get('/protected', authenticated({ shouldRedirect: true }), (c) => c.json(c.get('user')));
    app.get('/api/token', authenticated(), async (c) =>
      c.json(await c.get('logto').getAccessTokenClaims(demo.resource)),
    );
    app.onError(logtoErrorHandler());
  });
  after(async () => {
    server.close();
    await idp.close();
  });

  it('signs in with the dev server’s form, uses the session, and signs out', async () => {
    const user = new HeadlessUser(credentials);
    const page = await user.visit(`${baseUrl}/protected`);
    assert.equal(page.url, `${baseUrl}/protected`);
    assert.equal(page.status, 200);
    assert.equal((JSON.parse(page.body) as { sub: string }).sub, 'demo-user-01');
    assert.deepEqual(user.cookieNames(baseUrl), ['logto']);

    const token = await user.request(`${baseUrl}/api/token`);
    assert.equal(token.status, 200);
    assert.equal(((await token.json()) as { aud: string }).aud, demo.resource);

    const landing = await user.visit(`${baseUrl}/sign-out`);
    assert.equal(landing.url, `${baseUrl}/`);
    assert.deepEqual(user.cookieNames(baseUrl), []);
  });
});
