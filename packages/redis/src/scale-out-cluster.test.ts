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
  SessionManager,
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

function sidHash(sid: string): string {
  return createHash('sha256').update(sid).digest('base64url');
}

/** An unsigned ID token carrying a `sid` (the manager reads it without verifying). */
function idTokenWith(sid: string): string {
  const payload = Buffer.from(JSON.stringify({ sub: 'user-1', sid })).toString('base64url');
  return `eyJhbGciOiJub25lIn0.${payload}.`;
}

type Node = Awaited<ReturnType<RedisClusterTopology['slotOwner']>>;

/** A session id whose key sits on a master that `fits`. */
async function idOn(cluster: RedisClusterTopology, fits: (node: Node) => boolean) {
  for (;;) {
    const id = createSessionId();
    if (fits(await cluster.slotOwner(`logto:session:${id}`))) return id;
  }
}

/** A provider session id whose index sits on a master that `fits`. */
async function sidOn(cluster: RedisClusterTopology, fits: (node: Node) => boolean) {
  for (let n = 0; ; n += 1) {
    if (fits(await cluster.slotOwner(`logto:sid:${sidHash(`sid-${n}`)}`))) return `sid-${n}`;
  }
}

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
    const index = await cluster.owner(`logto:sid:${sidHash('sid-c')}`);
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

  it('writes with the index master down: refreshes and renewals go on, a sign-in needs its index', async () => {
    const store = new RedisSessionStore({ client, secret, timeout: 1000 });
    const manager = new SessionManager({ secret, baseUrl: 'http://localhost:3000', store });
    const sid = 'sid-w';
    const index = await cluster.slotOwner(`logto:sid:${sidHash(sid)}`);
    // Users of the provider session `sid-w`, signed in through the manager (a real commit).
    const cookies: string[] = [];
    const ids: string[] = [];
    for (let n = 0; n < 12; n += 1) {
      const loaded = await manager.load(undefined);
      loaded.storage.set('idToken', idTokenWith(sid));
      loaded.storage.set('refreshToken', 'rt-1');
      const cookie = /^logto=([^;]+)/.exec((await manager.commit(loaded))[0]!)![1]!;
      cookies.push(cookie);
      ids.push(cookie.split('.')[0]!);
    }
    const owners = await Promise.all(ids.map((id) => cluster.slotOwner(`logto:session:${id}`)));
    const live = cookies.filter((_, at) => owners[at] !== index);
    assert.ok(live.length > 0 && live.length < cookies.length, 'sessions on and off the index');
    // A sign-in whose session and index sit on live masters, and one whose index does not.
    const otherSid = await sidOn(cluster, (node) => node !== index);
    const freshId = await idOn(cluster, (node) => node !== index);
    await index.kill();
    try {
      for (const cookie of live) {
        // A refresh: new tokens, the same sid, compare-and-set against what was loaded.
        const loaded = await manager.load(`logto=${cookie}`);
        assert.ok(loaded.session, 'loaded with its index master down');
        loaded.storage.set('refreshToken', 'rt-2');
        assert.equal((await manager.commit(loaded)).length, 1, 'the refresh is written');
        // A renewal (touch) of an unchanged session, later: the same single-slot write.
        const again = await manager.load(`logto=${cookie}`);
        assert.equal(again.session?.data.refreshToken, 'rt-2');
        const later = epochSeconds() + 600;
        assert.equal((await manager.commit(again, { now: later })).length, 1, 'renewed');
      }
      const expiresAt = epochSeconds() + 60;
      await store.set(freshId, createSession({ idToken: 'z' }, epochSeconds()), {
        expiresAt,
        sid: otherSid,
      });
      assert.ok(await store.get(freshId), 'a sign-in with its index up');
      await assert.rejects(
        store.set(
          await idOn(cluster, (node) => node !== index),
          createSession({}, epochSeconds()),
          {
            expiresAt,
            sid,
          },
        ),
        SessionStoreUnavailableError,
        'a sign-in whose index is down: 503, never stored unindexed',
      );
    } finally {
      await index.start();
      await cluster.ready();
    }
    let count = -1;
    for (let attempt = 0; attempt < 50 && count < 0; attempt += 1) {
      count = await store.deleteBySid(sid).catch(() => -1);
      if (count < 0) await sleep(100);
    }
    assert.equal(count, cookies.length, 'back-channel logout still finds every session');
    assert.equal(await store.deleteBySid(otherSid), 1);
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
      assert.equal(await cache.seen(`iss\n${key}`), false, 'not recorded by looking');
      assert.equal(await cache.remember(`iss\n${key}`, epochSeconds() + 60), true);
      assert.equal(await cache.seen(`iss\n${key}`), true);
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
