import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SessionManager } from '@logto-kit/core/store';
import { type DevServer, demo } from '@logto-kit/dev-server';
import {
  appBaseUrl,
  optionsFor,
  sessionSecret,
  startIdp,
  userOf,
} from '@logto-kit/testing/hono-app';
import { Hono } from 'hono';
import { authenticated, type LogtoEnv, logto, logtoErrorHandler } from './index.js';

describe('Hono: a refresh token revoked at the provider', () => {
  let idp: DevServer;
  let app: Hono<LogtoEnv>;
  before(async () => {
    idp = await startIdp();
    app = new Hono<LogtoEnv>();
    app.use(logto(optionsFor(idp.endpoint)));
    app.get('/api/me', authenticated(), (c) => c.json({ sub: c.get('user').sub }));
    // An app route (not authenticated()) that needs a new token: the error handler's path.
    app.get('/api/token', async (c) =>
      c.json(await c.get('logto').getAccessTokenClaims(demo.resource)),
    );
    app.onError(logtoErrorHandler());
  });
  after(() => idp.close());

  it('ends the session with a clear 401 page and clears the cookie', async () => {
    const user = userOf(app);
    await user.visit(`${appBaseUrl}/sign-in`);
    const loaded = await new SessionManager({ secret: sessionSecret, baseUrl: appBaseUrl }).load(
      user.cookieHeader(appBaseUrl),
    );
    const refreshToken = loaded.storage.get('refreshToken');
    assert.ok(refreshToken);
    const revoked = await fetch(`${idp.issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${demo.appId}:${demo.appSecret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' }),
    });
    assert.equal(revoked.status, 200);

    const response = await user.request(`${appBaseUrl}/api/token`, {
      headers: { accept: 'text/html' },
    });
    assert.equal(response.status, 401);
    assert.match(await response.text(), /Your session has ended/);
    assert.ok(response.headers.getSetCookie().some((cookie) => /^logto=; Max-Age=0/.test(cookie)));
    assert.deepEqual(user.cookieNames(appBaseUrl), []);
    const next = await user.request(`${appBaseUrl}/api/me`);
    assert.equal(next.status, 401);
  });
});
