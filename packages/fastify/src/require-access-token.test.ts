/** `requireAccessToken()` in Fastify against tokens the real dev server signs. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevServer, demo, startDevServer } from '@logto-kit/dev-server';
import { machineToken, userTokens } from '@logto-kit/testing/access-tokens';
import { closedPort } from '@logto-kit/testing/test-provider';
import Fastify, { type FastifyInstance } from 'fastify';
import { requireAccessToken } from './index.js';

let idp: DevServer;
let app: FastifyInstance;
let base: string;
let token: string;

before(async () => {
  idp = await startDevServer({ port: 0, quiet: true });
  app = Fastify();
  const endpoint = idp.endpoint;
  const resource = demo.resource;
  const read = requireAccessToken({ endpoint, resource, scopes: ['read'] });
  app.get('/api/read', { onRequest: read }, async (request) => ({
    subject: request.auth?.subject,
    scopes: request.auth?.scopes,
    machine: request.auth?.isMachine,
  }));
  app.post(
    '/api/write',
    {
      preHandler: requireAccessToken({ endpoint, resource, scopes: ['write'] }),
      schema: { body: { type: 'object', required: ['note'] } },
    },
    async () => ({ ok: true }),
  );
  app.get<{ Params: { org: string } }>(
    '/api/orgs/:org',
    {
      onRequest: requireAccessToken({
        endpoint,
        resource,
        organization: (request) => (request.params as { org: string }).org,
      }),
    },
    async (request) => ({ organization: request.auth?.organizationId }),
  );
  const down = `http://127.0.0.1:${await closedPort()}`;
  app.get(
    '/api/down',
    { onRequest: requireAccessToken({ endpoint: down, resource, logger: false }) },
    async () => ({ ok: true }),
  );
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  token = (await userTokens(idp)).api;
});
after(async () => {
  await app?.close();
  await idp?.close();
});

const get = (path: string, authorization?: string) =>
  fetch(`${base}${path}`, authorization ? { headers: { authorization } } : {});

describe('Fastify requireAccessToken', () => {
  it('puts the verified token on request.auth', async () => {
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
    assert.equal(response.status, 200);
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
    const scope = await fetch(`${base}/api/write`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'x' }),
    });
    assert.equal(scope.status, 403);
    assert.match(
      scope.headers.get('www-authenticate') ?? '',
      /error="insufficient_scope".*scope="write"$/,
    );
    const malformed = await get('/api/read', `Token ${token}`);
    assert.equal(malformed.status, 400);
    assert.match(malformed.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
  });

  it('reads the organization from the route', async () => {
    const orgToken = await (await userTokens(idp)).organizationApi();
    const acme = await get(`/api/orgs/${demo.organizationId}`, `Bearer ${orgToken}`);
    assert.deepEqual(await acme.json(), { organization: demo.organizationId });
    const globex = await get('/api/orgs/globex', `Bearer ${orgToken}`);
    assert.equal(globex.status, 403);
  });

  it('answers 503 when the provider cannot be reached', async () => {
    const response = await get('/api/down', `Bearer ${token}`);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('www-authenticate'), null);
  });
});
