/** `requireAccessToken()` in Express against tokens the real dev server signs. */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type DevServer, demo, startDevServer } from '@logto-kit/dev-server';
import { machineToken, userTokens } from '@logto-kit/testing/access-tokens';
import { closedPort } from '@logto-kit/testing/test-provider';
import express from 'express';
import { requireAccessToken } from './index.js';

let idp: DevServer;
let server: Server;
let base: string;
let token: string;

before(async () => {
  idp = await startDevServer({ port: 0, quiet: true });
  const app = express();
  const endpoint = idp.endpoint;
  const resource = demo.resource;
  app.get('/api/read', requireAccessToken({ endpoint, resource, scopes: ['read'] }), (req, res) => {
    res.json({
      subject: req.auth?.subject,
      scopes: req.auth?.scopes,
      machine: req.auth?.isMachine,
    });
  });
  app.get(
    '/api/write',
    requireAccessToken({ endpoint, resource, scopes: ['write'] }),
    (_req, res) => {
      res.json({ ok: true });
    },
  );
  app.get(
    '/api/orgs/:org',
    requireAccessToken({ endpoint, resource, organization: (req) => String(req.params.org) }),
    (req, res) => res.json({ organization: req.auth?.organizationId }),
  );
  const down = `http://127.0.0.1:${await closedPort()}`;
  app.get(
    '/api/down',
    requireAccessToken({ endpoint: down, resource, logger: false }),
    (_req, res) => {
      res.json({ ok: true });
    },
  );
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  token = (await userTokens(idp)).api;
});
after(async () => {
  server?.close();
  await idp?.close();
});

const get = (path: string, authorization?: string) =>
  fetch(`${base}${path}`, authorization ? { headers: { authorization } } : {});

describe('Express requireAccessToken', () => {
  it('puts the verified token on req.auth', async () => {
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
    const scope = await get('/api/write', `Bearer ${token}`);
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
