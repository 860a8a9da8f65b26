// The scale-out suite (testing/src/scale-out-suite.ts) on one redis-server, plus what one node
// adds: it is killed and restarted (503 meanwhile, the same sessions after), and the bug the
// refresh lock fixes, shown without it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisServer, redisSkip } from '@logto-kit/testing/redis-server';
import { accessTokenTtl, scaleOutSuite } from '@logto-kit/testing/scale-out-suite';
import { createRedisClient, type RedisClientLike } from './redis-client.js';

let redis: RedisServer;
let admin: RedisClientLike & { close(): Promise<void> };

scaleOutSuite({
  name: 'one Redis',
  skip: redisSkip,
  start: async () => {
    redis = await RedisServer.start();
    admin = await createRedisClient(redis.url, { maxReconnectDelay: 200 });
    return {
      url: redis.url,
      stop: async () => {
        await admin.close();
        await redis.stop();
      },
    };
  },
  extra: (suite) => {
    const { instances, at, signIn, restart } = suite;
    it('answers 503 while Redis is down, keeps the session, and recovers when Redis returns', async () => {
      const user = await signIn();
      await admin.sendCommand(['SAVE']); // as a persistent Redis would have it after a restart
      await redis.kill();
      for (const instance of instances()) {
        for (const path of ['/protected', '/api/token']) {
          const response = await at(instance, user, path);
          assert.equal(response.status, 503, `${path} while Redis is down`);
          assert.deepEqual(response.headers.getSetCookie(), [], 'the session cookie is kept');
          await response.body?.cancel();
        }
      }
      await redis.restart();
      for (const instance of instances()) {
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
      await restart(false);
      const user = await signIn();
      await sleep((accessTokenTtl + 0.5) * 1000);
      suite.idp.resetCounts();
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => user.request(`${suite.lb.url}/api/token`)),
      );
      await Promise.all(responses.map((r) => r.body?.cancel()));
      const count = suite.idp.requestCount('token');
      assert.ok(count >= 2, `${count} token requests`);
    });
  },
});
