/**
 * Faults seen through Express: a provider that is down or too slow gives a clear 503/504 page;
 * a refresh token revoked at the provider signs the user out cleanly (a clear page or a 401, the
 * session cookie cleared); open redirects through `returnTo` and `post_logout_redirect_uri` go
 * nowhere. Token-endpoint and JWKS failures are core tests (`faults-responses.test.ts`).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { LogtoClient, MemoryStorage } from '@logto-kit/core';
import { SessionManager } from '@logto-kit/core/store';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import { sessionSecret, startTestEnv, type TestEnv } from '@logto-kit/testing/express-app';
import express from 'express';
import { authenticated, logto, logtoErrorHandler } from './index.js';
import type { LogtoExpressOptions } from './middleware.js';

function buildApp(options: LogtoExpressOptions) {
  const app = express();
  app.use(logto(options));
  app.get('/', (_req, res) => {
    res.send('home');
  });
  app.get(
    '/protected/userinfo',
    authenticated({ shouldRedirect: true, fetchUserInfo: true }),
    (req, res) => {
      res.json(req.user);
    },
  );
  app.get('/api/me', authenticated(), (req, res) => {
    res.json({ sub: req.user?.sub });
  });
  app.get('/api/token', authenticated(), async (req, res, next) => {
    try {
      res.json(await req.logto.getAccessTokenClaims(demo.resource));
    } catch (error) {
      next(error);
    }
  });
  app.use(logtoErrorHandler());
  return app;
}

const credentials = { username: demo.username, password: demo.password };
const html = { accept: 'text/html' };

/** A server that accepts connections and never answers. */
async function silentServer(): Promise<Server> {
  const server = createServer(() => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

describe('Express: a provider that is down or slow', () => {
  it('answers sign-in with a clear 503 page when the provider is unreachable', async () => {
    const down = createServer();
    down.listen(0, '127.0.0.1');
    await once(down, 'listening');
    const { port } = down.address() as AddressInfo;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const env = await startTestEnv(buildApp, {
      options: { endpoint: `http://127.0.0.1:${port}` },
    });
    try {
      const response = await fetch(`${env.baseUrl}/sign-in`, { headers: html, redirect: 'manual' });
      assert.equal(response.status, 503);
      assert.match(await response.text(), /cannot be reached right now/);
    } finally {
      await env.close();
    }
  });

  it('answers sign-in with a clear 504 page when the provider is slower than the timeout', async () => {
    const slow = await silentServer();
    const { port } = slow.address() as AddressInfo;
    const env = await startTestEnv(buildApp, {
      options: { endpoint: `http://127.0.0.1:${port}`, timeout: 300 },
    });
    try {
      const started = Date.now();
      const response = await fetch(`${env.baseUrl}/sign-in`, { headers: html, redirect: 'manual' });
      assert.equal(response.status, 504);
      assert.match(await response.text(), /did not answer in time/);
      assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
    } finally {
      slow.closeAllConnections();
      slow.close();
      await env.close();
    }
  });
});

describe('Express: a refresh token revoked at the provider', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv(buildApp);
  });
  after(() => env.close());

  /** Signs a user in, then revokes their refresh token at the provider's revocation endpoint. */
  async function signedInThenRevoked(): Promise<HeadlessUser> {
    const user = new HeadlessUser(credentials);
    await user.visit(`${env.baseUrl}/sign-in`);
    const sessions = new SessionManager({ secret: sessionSecret, baseUrl: env.baseUrl });
    const loaded = await sessions.load(user.cookieHeader(env.baseUrl));
    const refreshToken = loaded.storage.get('refreshToken');
    assert.ok(refreshToken);
    const revoked = await fetch(`${env.idp.issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${demo.appId}:${demo.appSecret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' }),
    });
    assert.equal(revoked.status, 200);
    return user;
  }

  it('ends the session with a clear 401 page when a route needs a new token', async () => {
    const user = await signedInThenRevoked();
    const response = await user.request(`${env.baseUrl}/api/token`, { headers: html });
    assert.equal(response.status, 401);
    assert.match(await response.text(), /Your session has ended/);
    const cleared = response.headers.getSetCookie();
    assert.ok(
      cleared.some((cookie) => /^logto=; Max-Age=0/.test(cookie)),
      'session cookie cleared',
    );
    assert.deepEqual(user.cookieNames(env.baseUrl), []);
    const next = await user.request(`${env.baseUrl}/api/me`);
    assert.equal(next.status, 401);
  });

  it('sends a page visitor to sign in again and clears the session (fetchUserInfo)', async () => {
    const user = await signedInThenRevoked();
    const response = await user.request(`${env.baseUrl}/protected/userinfo`, { headers: html });
    assert.equal(response.status, 303);
    assert.equal(
      response.headers.get('location'),
      `/sign-in?returnTo=${encodeURIComponent('/protected/userinfo')}`,
    );
    assert.deepEqual(user.cookieNames(env.baseUrl), []);
  });
});

describe('Express: open redirects', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv(buildApp);
  });
  after(() => env.close());

  const attacks = [
    '//evil.example',
    '/\\evil.example',
    '/.//evil.example',
    '/a/..//evil.example',
    'https://evil.example/',
    'https:evil.example',
    'javascript:alert(document.cookie)',
    '%2F%2Fevil.example',
    '\t//evil.example',
    '/\n/evil.example',
  ];

  it('never sends a signed-in user off the app after a returnTo trick', async () => {
    for (const attack of attacks) {
      const user = new HeadlessUser(credentials);
      const page = await user.visit(
        `${env.baseUrl}/sign-in?returnTo=${encodeURIComponent(attack)}`,
        // Stop before following a redirect to anywhere but the app and the provider.
        { stopAt: (url) => ![env.baseUrl, env.idp.endpoint].includes(url.origin) },
      );
      assert.equal(new URL(page.url).origin, env.baseUrl, attack);
      assert.ok(!page.trail.some((url) => url.includes('evil.example/')), attack);
    }
  });

  it('sends only the configured post_logout_redirect_uri, whatever the request says', async () => {
    const user = new HeadlessUser(credentials);
    await user.visit(`${env.baseUrl}/sign-in`);
    const response = await user.request(
      `${env.baseUrl}/sign-out?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    assert.equal(response.status, 303);
    const location = new URL(String(response.headers.get('location')));
    assert.equal(location.origin, env.idp.endpoint);
    assert.equal(location.searchParams.get('post_logout_redirect_uri'), `${env.baseUrl}/`);
    assert.equal(await response.text(), '', 'no body: the URL carries the ID token hint');
  });

  it('is refused by the provider when an unregistered post_logout_redirect_uri is sent', async () => {
    const client = new LogtoClient(
      { endpoint: env.idp.endpoint, appId: demo.appId, appSecret: demo.appSecret },
      { storage: new MemoryStorage() },
    );
    const endSession = await client.signOut('https://evil.example/');
    const response = await fetch(endSession, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
  });
});
