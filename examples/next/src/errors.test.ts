// What a Server Component does when the provider says no, or cannot be reached: a refused
// refresh token ends the session and sends the browser to sign in again (and back); an outage
// shows a clear 503 page with "Try again" that works once the provider is back. Never Next.js's
// generic 500, and never the same error again and again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SessionManager } from '@logto-kit/core/store';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import { createRedisClient, RedisSessionStore } from '@logto-kit/redis';
import { RedisServer, redisSkip } from '@logto-kit/testing/redis-server';
import {
  claimOf,
  type NextExampleEnv,
  sessionSecret,
  shortTtl,
  startExample,
  strictShortLived,
} from './test-env.js';

const ttl = shortTtl;
const credentials = { username: demo.username, password: demo.password };
const page = '/protected/api-resource';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function signIn(env: NextExampleEnv): Promise<HeadlessUser> {
  const user = new HeadlessUser(credentials);
  await user.visit(`${env.baseUrl}/auth/sign-in`);
  return user;
}

/** Revokes the session's refresh token at the provider (an administrator ended the grant). */
async function revoke(env: NextExampleEnv, user: HeadlessUser, redisUrl?: string): Promise<void> {
  const client = redisUrl ? await createRedisClient(redisUrl) : undefined;
  const store = client && new RedisSessionStore({ client, secret: sessionSecret });
  const sessions = new SessionManager({ secret: sessionSecret, baseUrl: env.baseUrl, store });
  const loaded = await sessions.load(user.cookieHeader(env.baseUrl));
  await client?.close();
  const token = loaded.storage.get('refreshToken');
  assert.ok(token, 'the session holds a refresh token');
  const response = await fetch(`${env.idp.issuer}/token/revocation`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa(`${demo.appId}:${demo.appSecret}`)}`,
    },
    body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }),
  });
  assert.equal(response.status, 200);
}

/** Follows redirects on the app's origin; returns the last response (body read). */
async function follow(user: HeadlessUser, env: NextExampleEnv, path: string) {
  const hops: string[] = [];
  let url = new URL(path, env.baseUrl);
  for (;;) {
    const response = await user.request(url, { headers: { accept: 'text/html' } });
    const body = await response.text();
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      return { status: response.status, body, hops, url };
    }
    url = new URL(location, url);
    hops.push(`${url.pathname}${url.search}`);
    if (url.origin !== env.baseUrl || hops.length > 5)
      return { status: response.status, body, hops, url };
  }
}

describe('Next.js example: errors in Server Components, cookie sessions', () => {
  let env: NextExampleEnv;
  before(async () => {
    env = await startExample({ seed: strictShortLived });
  });
  after(() => env?.close());

  it('a refused refresh token: the session ends and the browser signs in again, then comes back', async () => {
    const user = await signIn(env);
    await revoke(env, user);
    await sleep((ttl + 1) * 1000);
    const result = await follow(user, env, page);
    assert.equal(result.hops[0], `/auth/sign-in?returnTo=${encodeURIComponent(page)}`);
    assert.equal(result.url.origin, env.idp.endpoint, 'on to the provider: sign in again');
    assert.ok(result.status < 500);
    const again = await user.visit(`${env.baseUrl}${result.hops[0]}`);
    assert.equal(new URL(again.url).pathname, page, 'signed in again and back on the page');
    assert.equal(claimOf(again.body, 'aud'), demo.resource);
  });

  it('the provider down: a 503 page with "Try again", which works once it is back', async () => {
    const user = await signIn(env);
    env.idp.resetCounts();
    await sleep((ttl + 1) * 1000); // every access token has expired
    env.providerReachable(false);
    try {
      const down = await follow(user, env, page);
      // The render could not refresh (and with cookie sessions would not): the refresh route tried.
      assert.match(down.hops[0] ?? '', /^\/auth\/refresh\?/);
      assert.equal(down.status, 503, 'a clear "try again" status, not a 500');
      assert.match(down.body, /Try again/);
      assert.doesNotMatch(down.body, /Internal Server Error|Application error/);
    } finally {
      env.providerReachable(true);
    }
    // "Try again" reloads the refresh route, which now works and goes back to the page.
    const back = await follow(user, env, page);
    assert.equal(back.status, 200, `back on the page: ${back.hops.join(' → ')}`);
    assert.equal(claimOf(back.body, 'aud'), demo.resource);
    assert.ok(Number(claimOf(back.body, 'exp')) * 1000 > Date.now());
    assert.equal(env.idp.grantCount('refresh_token', 'refused'), 0);
  });
});

describe('Next.js example: errors in Server Components, sessions in Redis', {
  skip: redisSkip,
}, () => {
  let redis: RedisServer;
  let env: NextExampleEnv;
  before(async () => {
    redis = await RedisServer.start();
    // No prefetch: the page's own refresh is made in the render (a store keeps it).
    env = await startExample({
      seed: strictShortLived,
      prefetch: false,
      env: { SESSION_STORE: redis.url },
    });
  });
  after(async () => {
    await env?.close();
    await redis?.stop();
  });

  it('a refused refresh in the render ends the session and sends the browser to sign in', async () => {
    const user = await signIn(env);
    await revoke(env, user, redis.url);
    const result = await follow(user, env, page);
    assert.equal(result.hops[0], `/auth/sign-in?returnTo=${encodeURIComponent(page)}`);
    const alive = await user.request(`${env.baseUrl}/protected/no-redirect`);
    await alive.body?.cancel();
    assert.equal(alive.status, 401, 'the session was ended in the store');
  });

  it('the provider down during the render: the refresh route answers 503 with "Try again"', async () => {
    const user = await signIn(env);
    env.providerReachable(false);
    try {
      const down = await follow(user, env, page);
      assert.match(down.hops[0] ?? '', /^\/auth\/refresh\?returnTo=/);
      assert.equal(down.status, 503);
      assert.match(down.body, /Try again/);
    } finally {
      env.providerReachable(true);
    }
    const back = await follow(user, env, page);
    assert.equal(back.status, 200);
    assert.equal(claimOf(back.body, 'aud'), demo.resource);
  });
});
