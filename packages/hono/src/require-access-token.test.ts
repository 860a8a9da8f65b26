/** `requireAccessToken()` in Hono against tokens the real dev server signs. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevServer, demo, startDevServer } from '@logto-kit/dev-server';
import { machineToken, userTokens } from '@logto-kit/testing/access-tokens';
import { closedPort } from '@logto-kit/testing/test-provider';
import { Hono } from 'hono';
import { requireAccessToken } from './index.js';

let idp: DevServer;
let app: Hono;
let token: string;

before(async () => {
  idp = await startDevServer({ port: 0, quiet: true });
  const endpoint = idp.endpoint;
  const resource = demo.resource;
  const down = `http://127.0.0.1:${await closedPort()}`;
  app = new Hono()
    .get('/api/read', requireAccessToken({ endpoint, resource, scopes: ['read'] }), (c) =>
      c.json({
        subject: c.get('auth').subject,
        scopes: c.get('auth').scopes,
        machine: c.get('auth').isMachine,
      }),
    )
    .get('/api/write', requireAccessToken({ endpoint, resource, scopes: ['write'] }), (c) =>
      c.json({ ok: true }),
    )
    .get(
      '/api/orgs/:org',
      requireAccessToken({ endpoint, resource, organization: (c) => c.req.param('org') }),
      (c) => c.json({ organization: c.get('auth').organizationId }),
    )
    .get('/api/down', requireAccessToken({ endpoint: down, resource, logger: false }), (c) =>
      c.json({ ok: true }),
    );
  token = (await userTokens(idp)).api;
});
after(() => idp?.close());

const get = (path: string, authorization?: string) =>
  app.request(path, authorization ? { headers: { authorization } } : {});

describe('Hono requireAccessToken', () => {
  it("puts the verified token in c.get('auth')", async () => {
    const response = await get('/api/read', `Bearer ${token}`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      subject: 'demo-user-01',
      scopes: ['read'],
      machine: false,
    });
  });

  it('accepts a machine-to-machine token of the seeded machine app', async () => {
    const response = await get('/api/read', `Bearer ${await machineToken(idp)}`);
    assert.deepEqual(await response.json(), {
      subject: demo.machineAppId,
      scopes: ['read'],
      machine: true,
    });
  });

  it('answers as RFC 6750 says: 401, 403 with scope, 400', async () => {
    const none = await get('/api/read');
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), `Bearer realm="${demo.resource}"`);
    const scope = await get('/api/write', `Bearer ${token}`);
    assert.equal(scope.status, 403);
    assert.match(
      scope.headers.get('www-authenticate') ?? '',
      /error="insufficient_scope".*scope="write"$/,
    );
    const malformed = await get('/api/read', `Token ${token}`);
    assert.equal(malformed.status, 400);
  });

  it('reads the organization from the route', async () => {
    const orgToken = await (await userTokens(idp)).organizationApi();
    const acme = await get(`/api/orgs/${demo.organizationId}`, `Bearer ${orgToken}`);
    assert.deepEqual(await acme.json(), { organization: demo.organizationId });
    assert.equal((await get('/api/orgs/globex', `Bearer ${orgToken}`)).status, 403);
  });

  it('answers 503 when the provider cannot be reached', async () => {
    const response = await get('/api/down', `Bearer ${token}`);
    assert.equal(response.status, 503);
  });
});
