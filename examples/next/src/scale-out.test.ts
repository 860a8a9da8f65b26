// The Next.js example as it is deployed: two `next start` instances of one build behind a
// round-robin load balancer, a provider with strict refresh-token rotation (any reuse revokes the
// grant) and 5-second access tokens. Renders of a Server Component that asks for an API token,
// across expiries on both instances, then 20 concurrent renders on one instance after an expiry:
// every page 200 with a valid token, no refresh refused, the session alive, and about one grant
// per token per expiry. Once with cookie sessions (the default), once with Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import { RedisServer, redisSkip } from '@logto-kit/testing/redis-server';
import {
  claimOf,
  type NextExampleEnv,
  shortTtl,
  startExample,
  strictShortLived,
} from './test-env.js';

const ttl = shortTtl; // seconds: every access token expires between rounds
const credentials = { username: demo.username, password: demo.password };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the API-resource page: 200, and the token the Server Component got is valid. */
async function render(user: HeadlessUser, url: string, label: string): Promise<number> {
  const response = await user.request(`${url}/protected/api-resource`);
  const body = await response.text();
  assert.equal(
    response.status,
    200,
    `${label}: ${response.status} ${response.headers.get('location') ?? ''}`,
  );
  assert.equal(claimOf(body, 'aud'), demo.resource, `${label}: the page shows the API token`);
  const exp = Number(claimOf(body, 'exp'));
  assert.ok(exp * 1000 > Date.now(), `${label}: the token the render got is valid`);
  return Number(claimOf(body, 'iat'));
}

function describeTwoInstances(mode: string, extraEnv: () => Record<string, string>): void {
  let env: NextExampleEnv;
  before(async () => {
    env = await startExample({ instances: 2, seed: strictShortLived, env: extraEnv() });
  });
  after(() => env?.close());

  it(`${mode}: renders across expiries on both instances, then 20 at once on one; one grant per token per expiry`, async (t) => {
    const user = new HeadlessUser(credentials);
    await user.visit(`${env.baseUrl}/auth/sign-in`);
    // Sign-in and the first proxy run (which fetched the configured tokens) are done.
    env.idp.resetCounts();
    let expiries = 0;
    let lastIat = 0;
    for (let round = 0; round < 3; round++) {
      if (round > 0) {
        await sleep((ttl + 1) * 1000);
        expiries += 1;
      }
      // Four renders through the balancer: two on each instance.
      for (let visit = 0; visit < 4; visit++) {
        const iat = await render(user, env.baseUrl, `round ${round}, visit ${visit}`);
        if (visit === 0 && round > 0) assert.ok(iat > lastIat, 'a new token after the expiry');
        lastIat = iat;
      }
    }

    // 20 concurrent renders on one instance, right after an expiry, all with the same cookie.
    await sleep((ttl + 1) * 1000);
    expiries += 1;
    env.useInstances([0]);
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, index) => render(user, env.baseUrl, `burst ${index}`)),
    );
    assert.equal(burst.length, 20);
    env.useInstances([0, 1]);

    assert.equal(env.idp.grantCount('refresh_token', 'refused'), 0, 'no refresh token replayed');
    const grants = env.idp.grantCount('refresh_token', 'issued');
    // Per expiry: the default token (which renews nothing else), the API token and the demo
    // organization's token, each refreshed once by whichever instance saw the request first.
    const targets = 3;
    t.diagnostic(`${mode}: ${grants} refresh grants for ${expiries} expiries of ${targets} tokens`);
    assert.ok(grants >= expiries, `a refresh after each expiry (${grants} grants)`);
    assert.ok(
      grants <= targets * expiries,
      `at most one grant per token per expiry: ${grants} grants for ${expiries} expiries`,
    );
    for (const url of [env.baseUrl, env.baseUrl]) {
      const alive = await user.request(`${url}/protected/no-redirect`);
      assert.equal(alive.status, 200, 'the session is alive on both instances');
      await alive.body?.cancel();
    }
  });
}

describe('Next.js example, two instances, cookie sessions, strict rotation', () => {
  describeTwoInstances('cookie sessions', () => ({}));
});

describe('Next.js example, two instances, sessions in Redis, strict rotation', {
  skip: redisSkip,
}, () => {
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(() => redis?.stop());
  describeTwoInstances('Redis sessions', () => ({ SESSION_STORE: redis.url }));
});
