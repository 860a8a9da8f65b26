import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SessionManager } from '@logto-kit/core/store';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import {
  describeExampleInBrowser,
  describeExampleRoutes,
  type ExampleEnv,
} from '@logto-kit/example-shared/testing';
import { RedisServer, redisSkip } from '@logto-kit/testing/redis-server';
import { chromium } from 'playwright-core';
import { sessionSecret, startExample } from './test-env.js';

// One `next build` for the whole file (test-env.ts); each suite starts its own `next start`.
describeExampleRoutes('Next.js', startExample);
describeExampleInBrowser('Next.js', startExample);

const credentials = { username: demo.username, password: demo.password };

/** Every token and cookie value the session holds: none may reach the browser in a page. */
async function secretsOf(user: HeadlessUser, baseUrl: string): Promise<string[]> {
  const header = user.cookieHeader(baseUrl);
  const loaded = await new SessionManager({ secret: sessionSecret, baseUrl }).load(header);
  const map = JSON.parse(loaded.storage.get('accessTokenMap') ?? '{}') as Record<
    string,
    { token: string }
  >;
  const secrets = [
    loaded.storage.get('idToken'),
    loaded.storage.get('refreshToken'),
    ...Object.values(map).map((entry) => entry.token),
    ...header.split('; ').map((pair) => pair.slice(pair.indexOf('=') + 1)),
  ].filter((value): value is string => typeof value === 'string' && value.length > 8);
  assert.ok(secrets.length >= 4, 'the session holds an ID token, a refresh token and tokens');
  return secrets;
}

/** The claims table of a page, as numbers where they are numbers. */
function claimOf(html: string, name: string): string | undefined {
  return new RegExp(`<th>${name}</th><td><code>([^<]*)</code>`).exec(html)?.[1];
}

describe('Next.js example: no token in the HTML or the RSC payload', () => {
  let env: ExampleEnv;
  before(async () => {
    env = await startExample();
  });
  after(() => env?.close());

  it('keeps every token and cookie value out of the page and its RSC payload', async () => {
    const user = new HeadlessUser(credentials);
    await user.visit(`${env.baseUrl}/auth/sign-in`);
    const page = await user.visit(`${env.baseUrl}/protected/api-resource`);
    assert.equal(page.status, 200);
    assert.equal(claimOf(page.body, 'aud'), demo.resource);
    // The RSC request of a client navigation; next start sends it to `?_rsc=…` first.
    let rsc = await user.request(`${env.baseUrl}/protected/api-resource`, {
      headers: { rsc: '1' },
    });
    for (let hop = 0; hop < 3 && rsc.status >= 300 && rsc.status < 400; hop++) {
      await rsc.body?.cancel();
      const location = new URL(rsc.headers.get('location') ?? '', env.baseUrl);
      rsc = await user.request(location, { headers: { rsc: '1' } });
    }
    assert.equal(rsc.status, 200);
    assert.match(rsc.headers.get('content-type') ?? '', /text\/x-component/);
    const payload = await rsc.text();
    assert.match(payload, /https:\/\/api\.example\.com/, 'the payload is the page');
    for (const secret of await secretsOf(user, env.baseUrl)) {
      assert.ok(!page.body.includes(secret), 'a token or cookie value is in the HTML');
      assert.ok(!payload.includes(secret), 'a token or cookie value is in the RSC payload');
    }
  });
});

describe('Next.js example: the proxy answers 403 to a signed-in user who fails its rule', () => {
  let env: ExampleEnv;
  before(async () => {
    env = await startExample();
  });
  after(() => env?.close());

  it("shows Bob core's 403 page on /protected/readers, and the demo user the page", async () => {
    const bob = new HeadlessUser({ username: 'bob', password: 'bob-password' });
    await bob.visit(`${env.baseUrl}/auth/sign-in`);
    const page = await bob.request(`${env.baseUrl}/protected/readers`, {
      headers: { accept: 'text/html' },
    });
    assert.equal(page.status, 403);
    assert.match(await page.text(), /No access/);
    const data = await bob.request(`${env.baseUrl}/protected/readers/data`);
    assert.equal(data.status, 403);
    assert.equal(((await data.json()) as { error: string }).error, 'not_authorized');

    const user = new HeadlessUser(credentials);
    await user.visit(`${env.baseUrl}/auth/sign-in`);
    const allowed = await user.request(`${env.baseUrl}/protected/readers/data`);
    assert.equal(allowed.status, 200);
    assert.deepEqual(await allowed.json(), { reader: 'demo-user-01', roles: ['reader'] });
  });
});

describe('Next.js example: pages and Route Handlers check for themselves (PROXY_GUARDS=off)', () => {
  let env: ExampleEnv;
  before(async () => {
    env = await startExample({ env: { PROXY_GUARDS: 'off' } });
  });
  after(() => env?.close());

  it('sends a signed-out visitor of a page to sign-in and back, and answers a Route Handler 401', async () => {
    const page = await fetch(`${env.baseUrl}/protected/readers`, { redirect: 'manual' });
    await page.body?.cancel();
    assert.equal(page.status, 307, "Next's redirect() from requireUser()");
    assert.equal(
      page.headers.get('location'),
      `/auth/sign-in?returnTo=${encodeURIComponent('/protected/readers')}`,
    );
    for (const path of ['/protected/readers/data', '/protected/no-redirect']) {
      const api = await fetch(`${env.baseUrl}${path}`);
      assert.equal(api.status, 401, path);
      assert.ok(api.headers.get('www-authenticate'), path);
      assert.deepEqual(await api.json(), {
        error: 'not_authenticated',
        message: 'Please sign in to continue.',
      });
    }
  });

  it('lets the demo user (role reader) see the page and call the Route Handler', async () => {
    const user = new HeadlessUser(credentials);
    const page = await user.visit(`${env.baseUrl}/auth/sign-in?returnTo=/protected/readers`);
    assert.equal(page.status, 200);
    assert.equal(page.url, `${env.baseUrl}/protected/readers`);
    assert.match(page.body, /You have the reader role/);
    const data = await user.request(`${env.baseUrl}/protected/readers/data`);
    assert.equal(data.status, 200);
    assert.equal(data.headers.get('cache-control'), 'no-store', 'it read the session');
    assert.deepEqual(await data.json(), { reader: 'demo-user-01', roles: ['reader'] });
  });

  it('refuses Bob (no role) without sending him to sign in again: 404 page, 403 Route Handler', async () => {
    const bob = new HeadlessUser({ username: 'bob', password: 'bob-password' });
    const page = await bob.visit(`${env.baseUrl}/auth/sign-in?returnTo=/protected/readers`);
    // Next.js 16 has no 403 for a render without experimental.authInterrupts: notFound().
    assert.equal(page.status, 404);
    assert.equal(page.url, `${env.baseUrl}/protected/readers`);
    assert.doesNotMatch(page.body, /You have the reader role/);
    const data = await bob.request(`${env.baseUrl}/protected/readers/data`, {
      headers: { accept: 'text/html' },
    });
    assert.equal(data.status, 403);
    assert.match(await data.text(), /No access/, "core's 403 page for a browser");
  });
});

describe('Next.js example: getAccessToken() in a Server Component under strict rotation', () => {
  const ttl = 10; // seconds: the access tokens expire between renders
  let env: ExampleEnv;
  before(async () => {
    env = await startExample({
      refreshAhead: 1,
      prefetch: false,
      seed: (seed) => ({
        ...seed,
        refreshTokenRotation: 'strict',
        ttl: { ...seed.ttl, accessToken: ttl },
        resources: seed.resources?.map((resource) => ({ ...resource, accessTokenTtl: ttl })),
      }),
    });
  });
  after(() => env?.close());

  const render = async (user: HeadlessUser) => {
    const response = await user.request(`${env.baseUrl}/protected/api-resource`);
    assert.equal(response.status, 200, 'still signed in: no redirect to sign-in, no error page');
    const body = await response.text();
    assert.equal(claimOf(body, 'aud'), demo.resource);
    const exp = Number(claimOf(body, 'exp'));
    assert.ok(exp * 1000 > Date.now(), 'the token the Server Component got is valid');
    return {
      iat: Number(claimOf(body, 'iat')),
      refreshToken: await refreshTokenOf(user),
      // Set by the proxy in the same response when it refreshed ahead of the render.
      refreshedByProxy: response.headers.getSetCookie().length > 0,
    };
  };
  const refreshTokenOf = async (user: HeadlessUser) =>
    (
      await new SessionManager({ secret: sessionSecret, baseUrl: env.baseUrl }).load(
        user.cookieHeader(env.baseUrl),
      )
    ).storage.get('refreshToken');
  const expiry = () => new Promise((resolve) => setTimeout(resolve, (ttl + 1) * 1000));

  it('sends a render that needs a refresh through the refresh route and back; then the proxy refreshes ahead', async () => {
    const user = new HeadlessUser(credentials);
    await user.visit(`${env.baseUrl}/auth/sign-in`);
    const signedIn = await refreshTokenOf(user);
    // First render: the session never had this token (this instance's proxy does not prefetch)
    // and a Server Component could not keep a rotated refresh token, so it spends none: the
    // browser goes through the refresh route, which can set the cookie, and comes back.
    const page = await user.request(`${env.baseUrl}/protected/api-resource`);
    await page.body?.cancel();
    assert.equal(page.status, 307, 'the render redirects instead of refreshing');
    const refresh = new URL(page.headers.get('location') ?? '', env.baseUrl);
    assert.equal(refresh.pathname, '/auth/refresh');
    assert.equal(refresh.searchParams.get('returnTo'), '/protected/api-resource');
    assert.equal(refresh.searchParams.get('resource'), demo.resource);
    assert.equal(await refreshTokenOf(user), signedIn, 'the render spent no refresh token');
    const back = await user.request(refresh);
    await back.body?.cancel();
    assert.equal(back.status, 303);
    assert.equal(
      new URL(back.headers.get('location') ?? '', env.baseUrl).pathname,
      '/protected/api-resource',
    );
    const afterFirst = await refreshTokenOf(user);
    assert.notEqual(afterFirst, signedIn, 'the browser holds the rotated refresh token');
    const first = await render(user);
    assert.equal(first.refreshedByProxy, false, 'nothing was due before this render');
    assert.equal(first.refreshToken, afterFirst);

    await expiry();
    const second = await render(user);
    assert.ok(second.refreshedByProxy, 'the proxy refreshed ahead; the render found it fresh');
    assert.ok(second.iat > first.iat, 'a new token after the first expiry');
    assert.notEqual(second.refreshToken, afterFirst, 'rotated again and kept');

    await expiry();
    const third = await render(user);
    assert.ok(third.refreshedByProxy);
    assert.ok(third.iat > second.iat, 'a new token after the second expiry');
    assert.notEqual(third.refreshToken, second.refreshToken);

    assert.equal(env.idp.grantCount('refresh_token', 'refused'), 0, 'no refresh token replayed');
    const api = await user.request(`${env.baseUrl}/protected/no-redirect`);
    assert.equal(api.status, 200, 'the session is alive: no refresh token was replayed');
    await api.body?.cancel();
  });
});

describe('Next.js example: the same with sessions in Redis (SESSION_STORE)', {
  skip: redisSkip,
}, () => {
  const ttl = 10;
  let redis: RedisServer;
  let env: ExampleEnv;
  before(async () => {
    redis = await RedisServer.start();
    env = await startExample({
      refreshAhead: 1,
      // A render's own refresh: with a store it is made and kept there (no redirect).
      prefetch: false,
      env: { SESSION_STORE: redis.url },
      seed: (seed) => ({
        ...seed,
        refreshTokenRotation: 'strict',
        ttl: { ...seed.ttl, accessToken: ttl },
        resources: seed.resources?.map((resource) => ({ ...resource, accessTokenTtl: ttl })),
      }),
    });
  });
  after(async () => {
    await env?.close();
    await redis?.stop();
  });

  it('renders after two expiries with valid tokens, the session alive', async () => {
    const user = new HeadlessUser(credentials);
    await user.visit(`${env.baseUrl}/auth/sign-in`);
    let iat = 0;
    for (let render = 0; render < 3; render++) {
      if (render > 0) await new Promise((resolve) => setTimeout(resolve, (ttl + 1) * 1000));
      const response = await user.request(`${env.baseUrl}/protected/api-resource`);
      assert.equal(response.status, 200, `render ${render}: still signed in`);
      const body = await response.text();
      assert.equal(claimOf(body, 'aud'), demo.resource);
      assert.ok(Number(claimOf(body, 'exp')) * 1000 > Date.now(), 'a valid token');
      assert.ok(Number(claimOf(body, 'iat')) > iat, 'a new token after each expiry');
      iat = Number(claimOf(body, 'iat'));
    }
    assert.equal(env.idp.grantCount('refresh_token', 'refused'), 0, 'no refresh token replayed');
    const api = await user.request(`${env.baseUrl}/protected/no-redirect`);
    assert.equal(api.status, 200, 'the session is alive');
    await api.body?.cancel();
  });
});

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumSkip =
  existsSync(chromiumPath) || process.env.CI
    ? false
    : `Chromium not found at ${chromiumPath}: skipped`;

describe('Next.js example: signIn() and signOut() as Server Actions', {
  skip: chromiumSkip,
}, () => {
  let env: ExampleEnv;
  before(async () => {
    env = await startExample();
  });
  after(() => env?.close());

  it('signs in from a form button to /protected and signs out from another', async () => {
    assert.ok(existsSync(chromiumPath), `Chromium is required in CI (${chromiumPath})`);
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${env.baseUrl}/`);
      await page.click('#action-sign-in');
      await page.waitForURL((url) => url.origin === env.idp.endpoint);
      await page.fill('#username', demo.username);
      await page.fill('#password', demo.password);
      await page.click('#submit');
      await page.waitForURL(`${env.baseUrl}/protected`); // the action's returnTo
      assert.match(await page.locator('#claims').innerText(), /demo-user-01/);

      await page.goto(`${env.baseUrl}/`);
      await page.click('#action-sign-out');
      // Through Logto's end-session page and back home, signed out.
      await page.locator('#status', { hasText: 'Not authenticated' }).waitFor();
      assert.equal(page.url(), `${env.baseUrl}/`);
      const api = await page.goto(`${env.baseUrl}/protected/no-redirect`);
      assert.equal(api?.status(), 401, 'the session cookie is gone');
    } finally {
      await browser.close();
    }
  });
});
