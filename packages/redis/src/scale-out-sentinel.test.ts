// The scale-out suite (testing/src/scale-out-suite.ts) on Sentinel (a master, a replica, three
// sentinels), plus what Sentinel is for: the master is killed during traffic, requests get 503
// while the sentinels promote the replica, then the same sessions work on the new master and
// nobody was signed out. The time to recover is printed.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createSession,
  createSessionId,
  epochSeconds,
  SessionStoreUnavailableError,
} from '@logto-kit/core/store';
import type { HeadlessUser } from '@logto-kit/dev-server';
import { RedisSentinelTopology, topologySkip } from '@logto-kit/testing/redis-topology';
import { scaleOutSuite } from '@logto-kit/testing/scale-out-suite';
import { createRedisClient } from './redis-client.js';
import { RedisSessionStore } from './redis-session-store.js';

const secret = 'a-sentinel-test-session-secret-0123456789-abcdef';

let sentinel: RedisSentinelTopology;

scaleOutSuite({
  name: 'Sentinel (a master, a replica, three sentinels)',
  skip: topologySkip,
  start: async () => {
    sentinel = await RedisSentinelTopology.start();
    return sentinel;
  },
  extra: (suite) => {
    it('a master killed during traffic: 503 during the fail-over, the same sessions after', async () => {
      const users: HeadlessUser[] = [];
      for (let count = 0; count < 3; count += 1) users.push(await suite.signIn());
      const oldMaster = await sentinel.master();
      const seen: { user: number; at: number; status: number; ms: number }[] = [];
      let stop = false;
      // Open-loop traffic, as users arrive: a request every 30 ms, whether or not the last ended.
      const requests: Promise<void>[] = [];
      const send = async (index: number, n: number): Promise<void> => {
        const sent = Date.now();
        const response = await suite.at(suite.instances()[n % 2]!, users[index]!, '/protected');
        seen.push({ user: index, at: Date.now(), status: response.status, ms: Date.now() - sent });
        if (response.status === 503) {
          assert.deepEqual(response.headers.getSetCookie(), [], 'the session cookie is kept');
        }
        await response.body?.cancel();
      };
      const traffic = (async () => {
        for (let n = 0; !stop; n += 1) {
          requests.push(send(n % users.length, n));
          await sleep(30);
        }
      })();
      await sleep(300);
      await sentinel.node(oldMaster).kill();
      const killedAt = Date.now();
      // Recovered: a new master, and every user served 10 times in a row after it.
      const deadline = killedAt + 30_000;
      const recovered = () =>
        users.every((_, index) => {
          const last = seen.filter((entry) => entry.user === index).slice(-10);
          return (
            last.length === 10 && last.every((entry) => entry.at > killedAt && entry.status === 200)
          );
        });
      while (Date.now() < deadline && !recovered()) await sleep(100);
      stop = true;
      await traffic;
      await Promise.all(requests);
      const after = seen.filter((entry) => entry.at > killedAt);
      const failed = after.filter((entry) => entry.status !== 200);
      const statuses = [...new Set(seen.map((entry) => entry.status))].sort();
      assert.deepEqual(statuses, [200, 503], 'only 200 and 503: nobody signed out, no 500');
      assert.ok(recovered(), 'every user is served again');
      assert.notEqual(await sentinel.master(), oldMaster, 'the replica was promoted');
      const recoveredIn = Math.max(...failed.map((entry) => entry.at)) - killedAt;
      const slowest = Math.max(...failed.map((entry) => entry.ms));
      const quick = failed.filter((entry) => entry.ms < 200).length;
      console.log(
        `sentinel: master killed; served again ${recoveredIn} ms after the kill; ` +
          `${failed.length} requests got 503 (${quick} within 200 ms, the slowest in ${slowest} ms), ${after.length - failed.length} got 200`,
      );
      // The default store timeout (2 s) bounds every answer, with room for a loaded machine.
      assert.ok(slowest < 3_500, `a 503 took ${slowest} ms`);
    });

    it('no replica left to promote: one wait, then 503 at once, and the same session when the master returns', async () => {
      const client = await createRedisClient(sentinel.url);
      try {
        const store = new RedisSessionStore({ client, secret, timeout: 1000 });
        const id = createSessionId();
        const session = createSession({ idToken: 'x' }, epochSeconds());
        await store.set(id, session, { expiresAt: epochSeconds() + 600 });
        const master = sentinel.node(await sentinel.master());
        for (const node of sentinel.data) await node.kill();
        await assert.rejects(store.get(id), SessionStoreUnavailableError);
        // Five requests at once: one probe may wait for the timeout, the others are refused now.
        const waits = await Promise.all(
          Array.from({ length: 5 }, async () => {
            const started = Date.now();
            await assert.rejects(store.get(id), SessionStoreUnavailableError);
            return Date.now() - started;
          }),
        );
        const held = waits.filter((ms) => ms >= 300);
        assert.ok(held.length <= 1, `at most the probe is held (${waits.join(', ')} ms)`);
        await master.start(); // from its append-only file (appendfsync always)
        let back: Awaited<ReturnType<typeof store.get>>;
        for (let attempt = 0; attempt < 150 && !back; attempt += 1) {
          back = await store.get(id).catch(() => undefined);
          if (!back) await sleep(100);
        }
        assert.deepEqual(back, session, 'the same session, from the restarted master');
        console.log(
          `sentinel, no master: five requests at once answered 503 in ${waits.join(', ')} ms`,
        );
      } finally {
        await client.close();
      }
    });
  },
});
