// The two-key steps of the Redis store, cut after every step: the connection dies after the
// first k commands (each of them done), for every k, and what Redis holds then is checked. A
// stored session is never missing from its `sid` index (nor outlives it), and a sign-in never
// leaves two valid session ids. One case kills the real redis-server between the steps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createSession,
  createSessionId,
  epochSeconds,
  type Session,
  SessionManager,
  type SessionStore,
} from '@logto-kit/core/store';
import { RedisServer, redisSkip } from '@logto-kit/testing/redis-server';
import { createRedisClient, type RedisClientLike } from './redis-client.js';
import { RedisSessionStore } from './redis-session-store.js';

const secret = 'a-crash-test-session-secret-0123456789-abcdef';

/** An unsigned ID token carrying a `sid` (the manager reads it without verifying). */
function idTokenWith(sid: string, sub = 'user-1'): string {
  const payload = Buffer.from(JSON.stringify({ sub, sid })).toString('base64url');
  return `eyJhbGciOiJub25lIn0.${payload}.`;
}

/** A client whose connection dies after `alive` commands: each of those runs, nothing after. */
function dyingClient(client: RedisClientLike, alive: number): RedisClientLike {
  let sent = 0;
  return {
    sendCommand: async (args, options) => {
      sent += 1;
      if (sent > alive) throw new Error('Socket closed unexpectedly');
      return client.sendCommand(args, options);
    },
  };
}

/** A store that forwards to another, which the test can swap (load first, then cut). */
function switchable(initial: SessionStore): SessionStore & { to(next: SessionStore): void } {
  let current = initial;
  return {
    get: (id) => current.get(id),
    set: (id, session, options) => current.set(id, session, options),
    delete: (id) => current.delete(id),
    to: (next) => {
      current = next;
    },
  };
}

describe('the Redis store cut between its steps', { skip: redisSkip }, () => {
  let redis: RedisServer;
  let client: RedisClientLike & { close(): Promise<void> };
  let run = 0;
  const raw = (...args: string[]) => client.sendCommand(args);
  const nextPrefix = (name: string): string => {
    run += 1;
    return `${name}${run}:`;
  };

  before(async () => {
    redis = await RedisServer.start();
    client = await createRedisClient(redis.url, { maxReconnectDelay: 200 });
    // Load every script once, so that each cut below falls after a whole step.
    const warm = new RedisSessionStore({ client, secret, prefix: 'warm:' });
    const id = createSessionId();
    await warm.set(id, createSession({}), { expiresAt: epochSeconds() + 10, sid: 'warm' });
    await warm.delete(id);
  });
  after(async () => {
    await client?.close();
    await redis?.stop();
  });

  /** Every stored session with a `sid` is in that index, which lives at least as long. */
  async function assertIndexed(prefix: string, why: string): Promise<void> {
    const sessions = (await raw('KEYS', `${prefix}session:*`)) as string[];
    for (const key of sessions) {
      const [sidKey] = (await raw('HMGET', key, 'sid')) as (string | null)[];
      if (!sidKey) continue;
      const id = key.slice(`${prefix}session:`.length);
      assert.equal(await raw('SISMEMBER', sidKey, id), 1, `${why}: the session is indexed`);
      const [session, index] = [Number(await raw('TTL', key)), Number(await raw('TTL', sidKey))];
      assert.ok(index >= session, `${why}: the index outlives the session (${index} < ${session})`);
    }
  }

  /**
   * Runs a write on a store whose connection dies after k commands, for k = 0, 1, … until it
   * completes; checks the index after each cut. Resolves to the k it needed.
   */
  async function everyCut(
    name: string,
    setUp: (store: RedisSessionStore) => Promise<(dying: RedisSessionStore) => Promise<void>>,
  ): Promise<number> {
    for (let alive = 0; alive < 20; alive += 1) {
      const prefix = nextPrefix('cut');
      const write = await setUp(new RedisSessionStore({ client, secret, prefix, timeout: 1000 }));
      const dying = new RedisSessionStore({ client: dyingClient(client, alive), secret, prefix });
      const done = await write(dying).then(
        () => true,
        () => false,
      );
      await assertIndexed(prefix, `${name}, cut after ${alive} command(s)`);
      if (done) return alive;
    }
    throw new Error(`${name} never completed`);
  }

  it('never stores a session outside its index, whichever step a write dies after', async () => {
    const now = epochSeconds();
    const session = (data: Record<string, string>): Session => createSession(data, now - 10);
    // A sign-in: a new id with a sid.
    const signIn = await everyCut('a sign-in', async () => async (dying) => {
      await dying.set(createSessionId(), session({ idToken: 'a' }), {
        expiresAt: now + 100,
        maxExpiresAt: now + 1000,
        sid: 'sid-new',
      });
    });
    // A write without a sid, later than its index was made to last (a record made without
    // maxExpiresAt): the index is extended first.
    const extend = await everyCut('a write without a sid past its index', async (store) => {
      const id = createSessionId();
      const loaded = session({ idToken: 'a', refreshToken: 'rt-1' });
      await store.set(id, loaded, { expiresAt: now + 100, sid: 'sid-short' });
      return async (dying) => {
        const next = { ...loaded, data: { ...loaded.data, refreshToken: 'rt-2' } };
        await dying.set(id, next, { expiresAt: now + 500, previous: loaded });
      };
    });
    // A session moving to another provider session.
    const move = await everyCut('a move to another sid', async (store) => {
      const id = createSessionId();
      const loaded = session({ idToken: 'a' });
      await store.set(id, loaded, { expiresAt: now + 100, maxExpiresAt: now + 1000, sid: 'a' });
      return async (dying) => {
        await dying.set(id, session({ idToken: 'b' }), {
          expiresAt: now + 100,
          maxExpiresAt: now + 1000,
          sid: 'b',
          previous: loaded,
        });
      };
    });
    // The last step of a move (leaving the old index) is best effort: an extra entry at worst.
    assert.deepEqual([signIn, extend, move], [2, 3, 3], 'the steps each write needs');
  });

  it('a refresh of an indexed session is one command: it never needs the index', async () => {
    const prefix = nextPrefix('cut');
    const store = new RedisSessionStore({ client, secret, prefix });
    const id = createSessionId();
    const now = epochSeconds();
    const loaded = createSession({ idToken: 'a', refreshToken: 'rt-1' }, now);
    const options = { expiresAt: now + 100, maxExpiresAt: now + 1000, sid: 'sid-r' };
    await store.set(id, loaded, options);
    const next = { ...loaded, data: { ...loaded.data, refreshToken: 'rt-2' } };
    await new RedisSessionStore({ client: dyingClient(client, 1), secret, prefix }).set(id, next, {
      ...options,
      expiresAt: now + 900,
      previous: loaded,
    });
    assert.equal((await store.get(id))?.data.refreshToken, 'rt-2');
    await assertIndexed(prefix, 'a refresh');
  });

  it('never leaves two valid session ids when a sign-in dies between its steps', async () => {
    for (let alive = 0; alive < 20; alive += 1) {
      const prefix = nextPrefix('renew');
      const store = new RedisSessionStore({ client, secret, prefix, timeout: 1000 });
      const manager = new SessionManager({ secret, baseUrl: 'http://localhost:3000', store });
      // Signed in as Alice (or a session id an attacker planted before the sign-in).
      const first = await manager.load(undefined);
      first.storage.set('idToken', idTokenWith('sid-alice', 'alice'));
      const oldCookie = /^logto=([^;]+)/.exec((await manager.commit(first))[0]!)![1]!;
      // Bob signs in on the same browser: the id is renewed, and the connection dies.
      const switching = switchable(store);
      const cut = new SessionManager({
        secret,
        baseUrl: 'http://localhost:3000',
        store: switching,
      });
      const loaded = await cut.load(`logto=${oldCookie}`);
      loaded.storage.set('idToken', idTokenWith('sid-bob', 'bob'));
      loaded.storage.renew();
      switching.to(new RedisSessionStore({ client: dyingClient(client, alive), secret, prefix }));
      const done = await cut.commit(loaded).then(
        () => true,
        () => false,
      );
      const why = `a sign-in cut after ${alive} command(s)`;
      const ids = (await raw('KEYS', `${prefix}session:*`)) as string[];
      const oldValid = (await manager.load(`logto=${oldCookie}`)).session !== undefined;
      if (alive === 0) assert.ok(oldValid && ids.length === 1, `${why}: nothing changed`);
      else assert.ok(!oldValid, `${why}: the old id is ended first`);
      assert.ok(ids.length <= 1, `${why}: at most one valid id (${ids.length})`);
      await assertIndexed(prefix, why);
      if (done) {
        assert.equal(ids.length, 1, 'the new session is written');
        return;
      }
    }
    assert.fail('the sign-in never completed');
  });

  it('kills redis-server between ending the old id and writing the new: one id at most', async () => {
    const prefix = nextPrefix('kill');
    const store = new RedisSessionStore({ client, secret, prefix, timeout: 1000 });
    let killed = false;
    // The crash comes right after the old id is deleted (saved first, as a crash with an
    // append-only file would keep it).
    const crashing: SessionStore = {
      get: (id) => store.get(id),
      set: (id, session, options) => store.set(id, session, options),
      delete: async (id) => {
        await store.delete(id);
        await raw('SAVE');
        await redis.kill();
        killed = true;
      },
    };
    const manager = new SessionManager({ secret, baseUrl: 'http://localhost:3000', store });
    const first = await manager.load(undefined);
    first.storage.set('idToken', idTokenWith('sid-alice', 'alice'));
    const oldCookie = /^logto=([^;]+)/.exec((await manager.commit(first))[0]!)![1]!;
    const cut = new SessionManager({ secret, baseUrl: 'http://localhost:3000', store: crashing });
    const loaded = await cut.load(`logto=${oldCookie}`);
    loaded.storage.set('idToken', idTokenWith('sid-bob', 'bob'));
    loaded.storage.renew();
    await assert.rejects(cut.commit(loaded));
    assert.ok(killed, 'redis-server was killed between the steps');
    await redis.restart();
    let keys: string[] | undefined;
    for (let attempt = 0; attempt < 50 && !keys; attempt += 1) {
      keys = await (raw('KEYS', `${prefix}session:*`) as Promise<string[]>).catch(() => undefined);
      if (!keys) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(keys, [], 'the old id is gone and the new one was never written');
    assert.equal((await manager.load(`logto=${oldCookie}`)).session, undefined);
  });
});
