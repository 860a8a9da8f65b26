/**
 * A copy of a session cookie taken before sign-out (cookie mode). The cookie itself cannot be
 * revoked, so the promise is bounded by the ID token: while it is valid the copy reads as signed
 * in with no provider call; once it has expired the session must be proven with a refresh, and
 * the refresh token was revoked at sign-out — so the copy is signed out and its cookie cleared.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import { startTestEnv, type TestEnv } from '@logto-kit/testing/express-app';
import express from 'express';
import { authenticated, logto, logtoErrorHandler } from './index.js';
import type { LogtoExpressOptions } from './middleware.js';

const idTokenTtl = 2;

function buildApp(options: LogtoExpressOptions) {
  const app = express();
  app.use(logto(options));
  app.get('/api/me', authenticated(), (req, res) => {
    res.json({ sub: req.user?.sub });
  });
  app.get('/page', authenticated({ shouldRedirect: true }), (req, res) => {
    res.send(`hello ${req.user?.sub}`);
  });
  app.use(logtoErrorHandler());
  return app;
}

describe('Express: a session cookie copied before sign-out', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv(buildApp, {
      seed: (seed) => ({ ...seed, ttl: { ...seed.ttl, idToken: idTokenTtl } }),
    });
  });
  after(async () => {
    await env.close();
  });

  const signIn = async (): Promise<HeadlessUser> => {
    const user = new HeadlessUser({ username: demo.username, password: demo.password });
    await user.visit(`${env.baseUrl}/sign-in`);
    return user;
  };
  const replay = (cookie: string, path: string): Promise<Response> =>
    fetch(`${env.baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });

  it('works until the ID token expires, then is signed out (401, cookie cleared)', async () => {
    const user = await signIn();
    const copy = user.cookieHeader(env.baseUrl);
    const signedOut = await user.visit(`${env.baseUrl}/sign-out`);
    assert.equal(signedOut.url, `${env.baseUrl}/`);

    // Within the ID token's lifetime a cookie session cannot know about the sign-out.
    env.idp.resetCounts();
    const early = await replay(copy, '/api/me');
    assert.equal(early.status, 200, 'a copy works while its ID token is valid (documented)');
    await early.body?.cancel();
    assert.equal(env.idp.requestCount('token'), 0, 'no provider call while the ID token is valid');

    await sleep((idTokenTtl + 1) * 1000);
    const api = await replay(copy, '/api/me');
    assert.equal(api.status, 401);
    await api.body?.cancel();
    assert.ok(
      api.headers.getSetCookie().some((line) => /^logto=;/.test(line)),
      'the copied session cookie is cleared',
    );
    const page = await replay(copy, '/page');
    assert.equal(page.status, 303);
    assert.match(page.headers.get('location') ?? '', /^\/sign-in\?returnTo=/);
    await page.body?.cancel();
  });

  it('keeps a signed-in user signed in past the ID token expiry, renewing the ID token', async () => {
    const user = await signIn();
    await sleep((idTokenTtl + 1) * 1000);
    env.idp.resetCounts();
    const first = await user.request(`${env.baseUrl}/api/me`);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { sub: 'demo-user-01' });
    assert.equal(env.idp.requestCount('token'), 1, 'one refresh proves the session');
    const second = await user.request(`${env.baseUrl}/api/me`);
    assert.equal(second.status, 200);
    await second.body?.cancel();
    assert.equal(env.idp.requestCount('token'), 1, 'the renewed ID token serves the next request');
  });
});
