// The scale-out suite (testing/src/scale-out-suite.ts) on Sentinel (a master, a replica, three
// sentinels), plus what Sentinel is for: the master is killed during traffic, requests get 503
// while the sentinels promote the replica, then the same sessions work on the new master and
// nobody was signed out. The time to recover is printed.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HeadlessUser } from '@logto-kit/dev-server';
import { RedisSentinelTopology, topologySkip } from '@logto-kit/testing/redis-topology';
import { scaleOutSuite } from '@logto-kit/testing/scale-out-suite';

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
  },
});
