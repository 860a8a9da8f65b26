import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import { startTestEnv, type TestEnv } from '@logto-kit/testing/express-app';
import express5 from 'express';
import express4 from 'express4';
import { authenticated, logto, logtoErrorHandler } from './index.js';
import type { LogtoExpressOptions } from './middleware.js';

type ExpressFactory = typeof express5;

function buildApp(express: ExpressFactory) {
  return (options: LogtoExpressOptions) => {
    const app = express();
    app.use(logto(options));
    app.get('/', (_req, res) => {
      res.send('home');
    });
    app.get('/protected', authenticated({ shouldRedirect: true }), (req, res) => {
      res.json(req.user);
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
    app.get('/api/organization', authenticated(), async (req, res, next) => {
      try {
        res.json(await req.logto.getOrganizationTokenClaims(demo.organizationId));
      } catch (error) {
        next(error);
      }
    });
    app.use(logtoErrorHandler());
    return app as unknown as ReturnType<typeof express5>;
  };
}

const credentials = { username: demo.username, password: demo.password };
const cookieNames = (response: { headers: Headers }) =>
  response.headers.getSetCookie().map((c) => c.slice(0, c.indexOf('=')));

for (const [name, express] of [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as ExpressFactory],
] as const) {
  describe(`${name}: logto() and authenticated()`, () => {
    let env: TestEnv;
    before(async () => {
      env = await startTestEnv(buildApp(express));
    });
    after(() => env.close());

    it('leaves public routes alone: no session read, no Set-Cookie', async () => {
      const response = await fetch(`${env.baseUrl}/`);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'home');
      assert.deepEqual(response.headers.getSetCookie(), []);
    });

    it('signs in through the provider and comes back to the page the user wanted', async () => {
      const user = new HeadlessUser(credentials);
      const page = await user.visit(`${env.baseUrl}/protected?tab=1`);
      assert.equal(page.url, `${env.baseUrl}/protected?tab=1`);
      assert.equal(page.status, 200);
      const claims = JSON.parse(page.body) as Record<string, unknown>;
      assert.equal(claims.sub, 'demo-user-01');
      assert.equal(claims.email, 'demo@example.com');
      // Only the session cookie remains; the transaction cookie was cleared.
      assert.deepEqual(user.cookieNames(env.baseUrl), ['logto']);
    });

    it('serves a signed-in request with no provider call and no Set-Cookie', async () => {
      const user = new HeadlessUser(credentials);
      await user.visit(`${env.baseUrl}/sign-in`);
      env.idp.resetCounts();
      const response = await user.request(`${env.baseUrl}/api/me`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { sub: 'demo-user-01' });
      assert.deepEqual(response.headers.getSetCookie(), []);
      for (const route of ['token', 'jwks', 'discovery', 'userinfo'] as const) {
        assert.equal(env.idp.requestCount(route), 0, `${route} requests`);
      }
    });

    it('fetches userinfo with fetchUserInfo', async () => {
      const user = new HeadlessUser(credentials);
      const page = await user.visit(`${env.baseUrl}/sign-in?returnTo=/protected/userinfo`);
      const info = JSON.parse(page.body) as Record<string, unknown>;
      assert.deepEqual(info.custom_data, { plan: 'pro' });
    });

    it('gets an API token once, saves it in the session, then serves it from the cookie', async () => {
      const user = new HeadlessUser(credentials);
      await user.visit(`${env.baseUrl}/sign-in`);
      env.idp.resetCounts();
      const first = await user.request(`${env.baseUrl}/api/token`);
      assert.equal(first.status, 200);
      const claims = (await first.json()) as Record<string, unknown>;
      assert.equal(claims.aud, demo.resource);
      assert.equal(claims.scope, 'read');
      assert.deepEqual(cookieNames(first), ['logto']);
      assert.equal(env.idp.requestCount('token'), 1);
      const second = await user.request(`${env.baseUrl}/api/token`);
      assert.equal(second.status, 200);
      assert.equal(env.idp.requestCount('token'), 1);
      assert.deepEqual(second.headers.getSetCookie(), []);
    });

    it('gets an organization token', async () => {
      const user = new HeadlessUser(credentials);
      await user.visit(`${env.baseUrl}/sign-in`);
      const response = await user.request(`${env.baseUrl}/api/organization`);
      assert.equal(response.status, 200);
      const claims = (await response.json()) as Record<string, unknown>;
      assert.equal(claims.aud, 'urn:logto:organization:acme');
    });

    it('signs out at the provider and ends the session', async () => {
      const user = new HeadlessUser(credentials);
      await user.visit(`${env.baseUrl}/sign-in`);
      const landing = await user.visit(`${env.baseUrl}/sign-out`);
      assert.equal(landing.url, `${env.baseUrl}/`);
      assert.deepEqual(user.cookieNames(env.baseUrl), []);
      const after = await user.request(`${env.baseUrl}/api/me`);
      assert.equal(after.status, 401);
    });

    it('ignores a returnTo on another origin', async () => {
      const user = new HeadlessUser(credentials);
      const page = await user.visit(`${env.baseUrl}/sign-in?returnTo=https://evil.example/`);
      assert.equal(page.url, `${env.baseUrl}/`);
    });

    it('answers a callback without a matching sign-in with a clear 400 page', async () => {
      const response = await fetch(`${env.baseUrl}/callback?code=abc&state=nope`, {
        headers: { accept: 'text/html' },
      });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /Sign-in expired/);
    });

    it('reads a tampered session cookie as signed out and clears it', async () => {
      const response = await fetch(`${env.baseUrl}/api/me`, {
        headers: { cookie: 'logto=eyJhbGciOiJkaXIi.garbage' },
      });
      assert.equal(response.status, 401);
      const cleared = response.headers.getSetCookie();
      assert.equal(cleared.length, 1);
      assert.match(cleared[0]!, /^logto=; Max-Age=0/);
    });

    it('lets two tabs sign in at once', async () => {
      const user = new HeadlessUser(credentials);
      const stopAtCallback = { stopAt: (url: URL) => url.pathname === '/callback' };
      const first = await user.visit(`${env.baseUrl}/sign-in?returnTo=/one`, stopAtCallback);
      const second = await user.visit(`${env.baseUrl}/sign-in?returnTo=/two`, stopAtCallback);
      const a = await user.request(first.url);
      assert.equal(a.status, 303);
      assert.equal(a.headers.get('location'), '/one');
      const b = await user.request(second.url);
      assert.equal(b.status, 303);
      assert.equal(b.headers.get('location'), '/two');
    });
  });
}
