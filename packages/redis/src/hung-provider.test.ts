// Two app instances behind the Redis refresh lock, against a dev server (strict rotation) in its
// own process that the test can hang (SIGSTOP) and wake: every response comes within one
// deadline, and a rotation the provider made while Redis died is not lost.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import {
  type DevServerProcess,
  type Instance,
  startDevServerProcess,
  startInstance,
} from '@logto-kit/testing/app-instances';
import { type LoadBalancer, startLoadBalancer } from '@logto-kit/testing/load-balancer';
import { RedisServer, redisSkip } from '@logto-kit/testing/redis-server';
import { createRedisClient, type RedisClientLike } from './redis-client.js';

const accessTokenTtl = 2;
const timeout = 2_000;
/** What "within the deadline" allows on a loaded machine: the timeout plus 1.5 s. */
const deadline = timeout + 1_500;
const secret = 'a-hung-provider-test-session-secret-0123456789-abcdef';

describe('two instances behind the Redis lock, a hung provider', { skip: redisSkip }, () => {
  let redis: RedisServer;
  let admin: RedisClientLike & { close(): Promise<void> };
  let lb: LoadBalancer;
  let idp: DevServerProcess;
  let instances: Instance[] = [];

  before(async () => {
    redis = await RedisServer.start();
    admin = await createRedisClient(redis.url, { maxReconnectDelay: 200 });
    lb = await startLoadBalancer();
    idp = await startDevServerProcess({ appBaseUrl: lb.url, accessTokenTtl });
    const settings = {
      baseUrl: lb.url,
      endpoint: idp.endpoint,
      appId: demo.appId,
      appSecret: demo.appSecret,
      redisUrl: redis.url,
      secret,
      refreshLock: true,
      timeout,
    };
    instances = await Promise.all([startInstance(settings), startInstance(settings)]);
    lb.route(instances.map((instance) => instance.port));
  });
  after(async () => {
    idp?.wake();
    await Promise.all(instances.map((instance) => instance.stop()));
    await idp?.stop();
    await lb?.close();
    await admin?.close();
    await redis?.stop();
  });

  const signIn = async (): Promise<HeadlessUser> => {
    const user = new HeadlessUser({ username: demo.username, password: demo.password });
    const page = await user.visit(`${lb.url}/sign-in`);
    assert.equal(page.url, `${lb.url}/`);
    return user;
  };
  const at = async (
    instance: Instance,
    user: HeadlessUser,
    path: string,
  ): Promise<{ status: number; ms: number }> => {
    const started = Date.now();
    const response = await fetch(`${instance.url}${path}`, {
      headers: { cookie: user.cookieHeader(lb.url) },
    });
    await response.body?.cancel();
    return { status: response.status, ms: Date.now() - started };
  };

  it('answers every request within one deadline while the provider hangs', async () => {
    const user = await signIn();
    await sleep((accessTokenTtl + 0.5) * 1000);
    idp.hang();
    try {
      // The first instance takes the lock and hangs on the provider; the second waits for it.
      const first = at(instances[0]!, user, '/api/token');
      await sleep(200);
      const results = await Promise.all([
        first,
        at(instances[1]!, user, '/api/token'),
        at(instances[0]!, user, '/api/token'),
      ]);
      for (const { status, ms } of results) {
        assert.equal(status, 504);
        assert.ok(ms <= deadline, `answered after ${ms} ms (deadline ${deadline} ms)`);
      }
      console.log(`# hung provider: answered in ${results.map((r) => r.ms).join(', ')} ms`);
    } finally {
      idp.wake();
    }
  });

  it('keeps a rotation when Redis dies between the grant and its write', async () => {
    const user = await signIn();
    await admin.sendCommand(['SAVE']); // the session as a persistent Redis keeps it
    await sleep((accessTokenTtl + 0.5) * 1000);
    idp.hang();
    // The grant is under way (lock taken, token request sent) when Redis dies.
    const during = at(instances[0]!, user, '/api/token');
    await sleep(300);
    await redis.kill();
    idp.wake(); // the provider rotates the refresh token and answers
    const { status } = await during;
    assert.ok([503, 504].includes(status), `status ${status}`);
    await sleep(500);
    await redis.restart(); // with the session still holding the spent refresh token

    let last = 0;
    for (let attempt = 0; attempt < 50 && last !== 200; attempt += 1) {
      ({ status: last } = await at(instances[0]!, user, '/api/token'));
      if (last !== 200) await sleep(100);
    }
    assert.equal(last, 200, 'the session survived: the new refresh token was kept');
    // The same session keeps working on the other instance too, once its token expires.
    await sleep((accessTokenTtl + 0.5) * 1000);
    assert.equal((await at(instances[1]!, user, '/api/token')).status, 200);
    assert.equal((await at(instances[0]!, user, '/api/token')).status, 200);
  });
});
