// The scale-out suite (testing/src/scale-out-suite.ts) on a real 3-master Redis Cluster, plus
// what a cluster adds: sessions on every master, one back-channel logout deleting sessions on
// several slots, and a master crash that only its own users notice (503 until it is back, with
// every session it held, from its append-only file).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createSession,
  createSessionId,
  epochSeconds,
  SessionStoreUnavailableError,
} from '@logto-kit/core/store';
import type { HeadlessUser } from '@logto-kit/dev-server';
import { cli, RedisClusterTopology, topologySkip } from '@logto-kit/testing/redis-topology';
import { scaleOutSuite } from '@logto-kit/testing/scale-out-suite';
import { createRedisClient } from './redis-client.js';
import { RedisRefreshLock } from './redis-refresh-lock.js';
import { RedisReplayCache } from './redis-replay-cache.js';
import { RedisSessionStore } from './redis-session-store.js';

const secret = 'a-cluster-test-session-secret-0123456789-abcdef';

/** The session id in a user's `logto` cookie (`id.signature`). */
function sessionId(user: HeadlessUser, url: string): string {
  const id = /(?:^|;\s*)logto=([\w-]+)\./.exec(user.cookieHeader(url))?.[1];
  assert.ok(id, 'a session cookie');
  return id;
}

describe('the Redis store, lock and replay cache on a 3-master cluster', {
  skip: topologySkip,
}, () => {
  let cluster: RedisClusterTopology;
  let client: Awaited<ReturnType<typeof createRedisClient>>;
  before(async () => {
    cluster = await RedisClusterTopology.start();
    client = await createRedisClient(cluster.url);
  });
  after(async () => {
    await client?.close();
    await cluster?.stop();
  });

  it('spreads sessions over the masters; one deleteBySid ends those on every slot', async () => {
    const store = new RedisSessionStore({ client, secret });
    const expiresAt = epochSeconds() + 60;
    const ids = Array.from({ length: 24 }, () => createSessionId());
    for (const id of ids) {
      await store.set(id, createSession({ idToken: 'x' }, epochSeconds()), {
        expiresAt,
        sid: 'sid-a',
      });
    }
    const control = createSessionId();
    await store.set(control, createSession({ idToken: 'y' }, epochSeconds()), {
      expiresAt,
      sid: 'sid-b',
    });
    const owners = new Set(
      await Promise.all(ids.map(async (id) => (await cluster.owner(`logto:session:${id}`)).port)),
    );
    assert.equal(owners.size, 3, 'sessions on all three masters');
    assert.equal(await store.deleteBySid('sid-a'), 24);
    for (const id of ids) assert.equal(await store.get(id), undefined);
    assert.ok(await store.get(control), 'another provider session is kept');
    assert.equal(await store.deleteBySid('sid-a'), 0);
  });

  it('a back-channel logout with one master down: deletes the rest, rejects, finishes on retry', async () => {
    const store = new RedisSessionStore({ client, secret, timeout: 1000 });
    const expiresAt = epochSeconds() + 60;
    const ids = Array.from({ length: 12 }, () => createSessionId());
    for (const id of ids) {
      await store.set(id, createSession({ idToken: 'x' }, epochSeconds()), {
        expiresAt,
        sid: 'sid-c',
      });
    }
    const owners = await Promise.all(ids.map((id) => cluster.owner(`logto:session:${id}`)));
    // The master to kill holds sessions but not the index (which must stay readable).
    const sidHash = createHash('sha256').update('sid-c').digest('base64url');
    const index = await cluster.owner(`logto:sid:${sidHash}`);
    const down = owners.find((owner) => owner !== index);
    assert.ok(down, 'a session on another master than the index');
    const onDown = ids.filter((_, at) => owners[at] === down);
    const elsewhere = ids.filter((_, at) => owners[at] !== down);
    assert.ok(elsewhere.length > 0 && onDown.length > 0);
    await down.kill();
    await assert.rejects(store.deleteBySid('sid-c'), SessionStoreUnavailableError);
    for (const id of elsewhere) assert.equal(await store.get(id), undefined, 'deleted meanwhile');
    await down.start();
    await cluster.ready();
    let count = -1;
    for (let attempt = 0; attempt < 50 && count < 0; attempt += 1) {
      count = await store.deleteBySid('sid-c').catch(() => -1);
      if (count < 0) await sleep(100);
    }
    assert.equal(count, onDown.length, 'the retry deletes what was left');
    for (const id of ids) assert.equal(await store.get(id), undefined);
  });

  it('takes one refresh lock and remembers a logout token once, on any slot', async () => {
    const lock = new RedisRefreshLock({ client });
    const cache = new RedisReplayCache({ client });
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const release = await lock.acquire(key, 5000);
      assert.ok(release);
      assert.equal(await lock.acquire(key, 5000), undefined, 'held');
      await release();
      assert.ok(await lock.acquire(key, 5000), 'released');
      assert.equal(await cache.remember(`iss\n${key}`, epochSeconds() + 60), true);
      assert.equal(await cache.remember(`iss\n${key}`, epochSeconds() + 60), false);
    }
  });
});

let cluster: RedisClusterTopology;

scaleOutSuite({
  name: 'a 3-master Redis Cluster',
  skip: topologySkip,
  start: async () => {
    cluster = await RedisClusterTopology.start();
    return cluster;
  },
  extra: (suite) => {
    it('a master crash: its users get 503, the others 200, and all keep their sessions', async () => {
      const users: HeadlessUser[] = [];
      let victim: HeadlessUser | undefined;
      let bystander: HeadlessUser | undefined;
      let owner: Awaited<ReturnType<RedisClusterTopology['owner']>> | undefined;
      for (let attempt = 0; attempt < 12 && !bystander; attempt += 1) {
        const user = await suite.signIn();
        users.push(user);
        const node = await cluster.owner(`logto:session:${sessionId(user, suite.lb.url)}`);
        if (!victim) [victim, owner] = [user, node];
        else if (node !== owner) bystander = user;
      }
      assert.ok(victim && bystander && owner, 'two users on different masters');
      await owner.kill();
      const killedAt = Date.now();
      for (const instance of suite.instances()) {
        const down = await suite.at(instance, victim, '/protected');
        assert.equal(down.status, 503, 'the crashed master’s user');
        assert.deepEqual(down.headers.getSetCookie(), [], 'the session cookie is kept');
        await down.body?.cancel();
        const up = await suite.at(instance, bystander, '/protected');
        assert.equal(up.status, 200, 'a user on another master');
        await up.body?.cancel();
      }
      await sleep(1_500); // the cluster marks the master failed (cluster-node-timeout 1 s)
      await owner.start(); // from its append-only file (appendfsync always)
      const restartedAt = Date.now();
      for (const user of users) {
        let status = 0;
        for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
          const response = await suite.at(suite.instances()[attempt % 2]!, user, '/protected');
          status = response.status;
          await response.body?.cancel();
          if (status !== 200) {
            assert.equal(status, 503, 'never signed out');
            await sleep(100);
          }
        }
        assert.equal(status, 200, 'the same session works again');
      }
      console.log(
        `cluster: master down ${restartedAt - killedAt} ms; every session served again ${Date.now() - restartedAt} ms after its restart`,
      );
      assert.ok((await cli(owner.port, 'DBSIZE')).trim() !== '0', 'the data came back');
    });
  },
});
