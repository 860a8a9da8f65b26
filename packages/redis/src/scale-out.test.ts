// Two app instances in separate processes (each with its own in-process refresh coordinator)
// behind a round-robin load balancer, sharing one real redis-server, against the dev server
// with strict refresh-token rotation (any reuse revokes the grant).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
import { type Instance, startInstance } from '@logto-kit/testing/app-instances';
import { type LoadBalancer, startLoadBalancer } from '@logto-kit/testing/load-balancer';
import { RedisServer, redisSkip } from '@logto-kit/testing/redis-server';
import { createRedisClient, type RedisClientLike } from './redis-client.js';

const accessTokenTtl = 2;
const secret = 'a-scale-out-test-session-secret-0123456789-abcdef';

describe('two app instances sharing one Redis', { skip: redisSkip }, () => {
  let redis: RedisServer;
  let admin: RedisClientLike & { close(): Promise<void> };
  let lb: LoadBalancer;
  let idp: DevServer;
  let instances: Instance[] = [];

  const start = async (refreshLock: boolean): Promise<Instance[]> => {
    const settings = {
      baseUrl: lb.url,
      endpoint: idp.endpoint,
      appId: demo.appId,
      appSecret: demo.appSecret,
      redisUrl: redis.url,
      secret,
      refreshLock,
    };
    const started = await Promise.all([startInstance(settings), startInstance(settings)]);
    lb.route(started.map((instance) => instance.port));
    return started;
  };
  const stopAll = async (): Promise<void> => {
    await Promise.all(instances.map((instance) => instance.stop()));
    instances = [];
  };
  const signIn = async (): Promise<HeadlessUser> => {
    const user = new HeadlessUser({ username: demo.username, password: demo.password });
    const page = await user.visit(`${lb.url}/sign-in`);
    assert.equal(page.url, `${lb.url}/`);
    return user;
  };
  /** The user's session cookie sent straight to one instance, past the load balancer. */
  const at = (instance: Instance, user: HeadlessUser, path: string): Promise<Response> =>
    fetch(`${instance.url}${path}`, { headers: { cookie: user.cookieHeader(lb.url) } });

  before(async () => {
    redis = await RedisServer.start();
    admin = await createRedisClient(redis.url, { maxReconnectDelay: 200 });
    lb = await startLoadBalancer();
    const seed = defaultSeed({ appBaseUrl: lb.url });
    idp = await startDevServer({
      port: 0,
      quiet: true,
      seed: {
        ...seed,
        refreshTokenRotation: 'strict',
        ttl: {
          idToken: 3600,
          accessToken: accessTokenTtl,
          refreshToken: 3600,
          session: 3600,
          grant: 3600,
        },
      },
    });
    instances = await start(true);
  });
  after(async () => {
    await stopAll();
    await idp?.close();
    await lb?.close();
    await admin?.close();
    await redis?.stop();
  });

  it('signs in through one instance and is signed in at both', async () => {
    const user = await signIn();
    for (const instance of instances) {
      const response = await at(instance, user, '/protected');
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { sub: string }).sub, 'demo-user-01');
    }
  });

  it('makes one token request for 50 concurrent requests on an expired token across both', async () => {
    const user = await signIn();
    await sleep((accessTokenTtl + 0.5) * 1000);
    idp.resetCounts();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => user.request(`${lb.url}/api/token`)),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { instance?: number }[];
    assert.deepEqual(
      responses.map((r) => r.status),
      Array(50).fill(200),
    );
    assert.equal(new Set(bodies.map((body) => body.instance)).size, 2, 'both instances answered');
    assert.equal(idp.requestCount('token'), 1);

    // Alive afterwards: once the new access token expires too, the rotated refresh token works.
    await sleep((accessTokenTtl + 0.5) * 1000);
    for (const instance of instances) {
      const later = await at(instance, user, '/api/token');
      assert.equal(later.status, 200);
      await later.body?.cancel();
    }
    assert.equal(idp.requestCount('token'), 2);
  });

  it('ends the session in both instances when the user signs out at the provider', async () => {
    const user = await signIn();
    const logoutsBefore = lb.logoutBodies.length;
    const endSession = new URL(`${idp.issuer}/session/end`);
    endSession.searchParams.set('client_id', demo.appId);
    endSession.searchParams.set('post_logout_redirect_uri', `${lb.url}/`);
    await user.signOut(endSession.href);
    assert.equal(lb.logoutBodies.length, logoutsBefore + 1, 'the provider posted a logout token');
    for (const instance of instances) {
      const response = await at(instance, user, '/protected');
      assert.equal(response.status, 401);
      await response.body?.cancel();
    }
  });

  it('refuses a replayed, a forged and a missing logout token with 400 at either instance', async () => {
    const body = lb.logoutBodies.at(-1)!;
    const token = new URLSearchParams(body).get('logout_token')!;
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    const cases = [body, `logout_token=${forged}`, '', 'logout_token=not-a-jwt'];
    for (const instance of instances) {
      for (const form of cases) {
        const response = await fetch(`${instance.url}/backchannel-logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
        assert.equal(response.status, 400);
        assert.equal(response.headers.get('cache-control'), 'no-store');
        const error = (await response.json()) as { error: string; error_description: string };
        assert.equal(error.error, 'invalid_request');
        assert.ok(!error.error_description.includes(token.slice(0, 20)), 'no token echoed');
      }
    }
  });

  it('answers 503 while Redis is down, keeps the session, and recovers when Redis returns', async () => {
    const user = await signIn();
    await admin.sendCommand(['SAVE']); // as a persistent Redis would have it after a restart
    await redis.kill();
    for (const instance of instances) {
      for (const path of ['/protected', '/api/token']) {
        const response = await at(instance, user, path);
        assert.equal(response.status, 503, `${path} while Redis is down`);
        assert.deepEqual(response.headers.getSetCookie(), [], 'the session cookie is kept');
        await response.body?.cancel();
      }
    }
    await redis.restart();
    for (const instance of instances) {
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt += 1) {
        const response = await at(instance, user, '/protected');
        status = response.status;
        await response.body?.cancel();
        if (status !== 200) await sleep(100);
      }
      assert.equal(status, 200, 'the same session works again');
    }
  });

  it('without the refresh lock, the two instances spend the refresh token twice (the bug)', async () => {
    await stopAll();
    instances = await start(false);
    const user = await signIn();
    await sleep((accessTokenTtl + 0.5) * 1000);
    idp.resetCounts();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => user.request(`${lb.url}/api/token`)),
    );
    await Promise.all(responses.map((r) => r.body?.cancel()));
    assert.ok(idp.requestCount('token') >= 2, `${idp.requestCount('token')} token requests`);
  });
});
