import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createSession,
  createSessionId,
  epochSeconds,
  type Session,
  SessionManager,
  SessionStoreUnavailableError,
} from '@logto-kit/core/store';
import { RedisServer, redisSkip } from '@logto-kit/testing/redis-server';
import { createRedisClient, type RedisClientLike } from './redis-client.js';
import { RedisSessionStore } from './redis-session-store.js';

const secret = 'a-redis-test-session-secret-0123456789-abcdef';
const refreshToken = 'rt-SECRET-refresh-token-value-0123456789';
const idToken = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEiLCJzaWQiOiJzaWQtMSJ9.';

function sessionWith(data: Record<string, string>, now = epochSeconds()): Session {
  return createSession(data, now);
}

describe('RedisSessionStore against a real redis-server', { skip: redisSkip }, () => {
  let redis: RedisServer;
  let client: RedisClientLike & { close(): Promise<void> };
  let store: RedisSessionStore;
  const raw = (...args: string[]) => client.sendCommand(args);

  before(async () => {
    redis = await RedisServer.start();
    client = await createRedisClient(redis.url, { maxReconnectDelay: 200 });
    store = new RedisSessionStore({ client, secret, timeout: 1000 });
  });
  after(async () => {
    await client?.close();
    await redis?.stop();
  });

  it('gives back what was stored, and nothing for an unknown id', async () => {
    const id = createSessionId();
    const session = sessionWith({ idToken, refreshToken });
    await store.set(id, session, { expiresAt: epochSeconds() + 60 });
    assert.deepEqual(await store.get(id), session);
    assert.equal(await store.get(createSessionId()), undefined);
  });

  it('expires an entry with the session (EXPIREAT), and forgets it after', async () => {
    const id = createSessionId();
    await store.set(id, sessionWith({ idToken }), { expiresAt: epochSeconds() + 1 });
    const ttl = Number(await raw('PTTL', `logto:session:${id}`));
    assert.ok(ttl > 0 && ttl <= 1000, `PTTL ${ttl}`);
    await sleep(ttl + 100);
    assert.equal(await store.get(id), undefined);
    assert.equal(await raw('EXISTS', `logto:session:${id}`), 0);
  });

  it('keeps values encrypted at rest: no token in anything Redis holds', async () => {
    const id = createSessionId();
    await store.set(id, sessionWith({ idToken, refreshToken }), {
      expiresAt: epochSeconds() + 60,
      sid: 'sid-at-rest',
    });
    const values = (await raw('HVALS', `logto:session:${id}`)) as string[];
    const everything = values.join('\n');
    assert.ok(everything.length > 100);
    assert.ok(!everything.includes(refreshToken), 'no refresh token in clear');
    assert.ok(!everything.includes('SECRET'), 'no part of it either');
    assert.ok(!everything.includes(idToken.split('.')[1]!), 'no ID token payload');
    assert.ok(!everything.includes('sid-at-rest'), 'the sid index key is a hash');
  });

  it('reads a value copied under another id, or sealed with another secret, as nothing', async () => {
    const id = createSessionId();
    const other = createSessionId();
    await store.set(id, sessionWith({ idToken }), { expiresAt: epochSeconds() + 60 });
    const value = String(await raw('HGET', `logto:session:${id}`, 'v'));
    await raw('HSET', `logto:session:${other}`, 'v', value);
    assert.equal(await store.get(other), undefined);
    const stranger = new RedisSessionStore({ client, secret: `${secret}-rotated-away` });
    assert.equal(await stranger.get(id), undefined);
  });

  it('merges two requests that write one session at once: a rotated refresh token is kept', async () => {
    const id = createSessionId();
    const now = epochSeconds();
    const loaded = sessionWith({ idToken, refreshToken: 'rt-1', accessTokenMap: '{}' }, now - 400);
    const expiresAt = now + 3600;
    await store.set(id, loaded, { expiresAt });
    // Request A refreshed: new refresh token and access token.
    const refreshed = {
      ...loaded,
      data: { ...loaded.data, refreshToken: 'rt-2', accessTokenMap: '{"":1}' },
    };
    await store.set(id, refreshed, { expiresAt, previous: loaded });
    // Request B loaded the same session earlier and only renews it (touch), with the old data.
    await store.set(id, { ...loaded, touchedAt: now }, { expiresAt, previous: loaded });
    const stored = await store.get(id);
    assert.equal(stored?.data.refreshToken, 'rt-2');
    assert.equal(stored?.data.accessTokenMap, '{"":1}');
    assert.equal(stored?.touchedAt, now);
  });

  it('does not bring back a session deleted while a request was using it', async () => {
    const id = createSessionId();
    const loaded = sessionWith({ idToken, refreshToken });
    await store.set(id, loaded, { expiresAt: epochSeconds() + 60 });
    await store.delete(id);
    await store.set(
      id,
      { ...loaded, data: { ...loaded.data, refreshToken: 'rt-late' } },
      {
        expiresAt: epochSeconds() + 60,
        previous: loaded,
      },
    );
    assert.equal(await store.get(id), undefined);
  });

  it('ends every session of a provider session by sid, and keeps the others', async () => {
    const [a, b, c] = [createSessionId(), createSessionId(), createSessionId()];
    const expiresAt = epochSeconds() + 60;
    await store.set(a, sessionWith({ idToken }), { expiresAt, sid: 'sid-x' });
    await store.set(b, sessionWith({ idToken }), { expiresAt: expiresAt + 100, sid: 'sid-x' });
    await store.set(c, sessionWith({ idToken }), { expiresAt, sid: 'sid-y' });
    assert.equal(await store.deleteBySid('sid-x'), 2);
    assert.equal(await store.get(a), undefined);
    assert.equal(await store.get(b), undefined);
    assert.ok(await store.get(c));
    assert.equal(await store.deleteBySid('sid-x'), 0);
  });

  it('keeps the sid index as long as its longest session, and removes deleted ids from it', async () => {
    const [a, b] = [createSessionId(), createSessionId()];
    const now = epochSeconds();
    await store.set(a, sessionWith({ idToken }), { expiresAt: now + 500, sid: 'sid-ttl' });
    await store.set(b, sessionWith({ idToken }), { expiresAt: now + 100, sid: 'sid-ttl' });
    const keys = (await raw('KEYS', 'logto:sid:*')) as string[];
    const index = await Promise.all(
      keys.map(async (key) => ({ key, members: (await raw('SMEMBERS', key)) as string[] })),
    );
    const entry = index.find(({ members }) => members.includes(a));
    assert.ok(entry, 'the sid set holds the session id');
    const ttl = Number(await raw('TTL', entry.key));
    assert.ok(ttl > 400 && ttl <= 500, `the set lives as long as the longest session (${ttl})`);
    await store.delete(a);
    assert.deepEqual(await raw('SMEMBERS', entry.key), [b]);
    // A later ID token without sid (from a refresh) keeps the session in its index.
    await store.set(b, sessionWith({ idToken }), { expiresAt: now + 100 });
    assert.deepEqual(await raw('SMEMBERS', entry.key), [b]);
  });

  it('works under SessionManager: the cookie holds a signed id only, a sign-in is a new id', async () => {
    const manager = new SessionManager({ secret, baseUrl: 'http://localhost:3000', store });
    const first = await manager.load(undefined);
    first.storage.set('idToken', idToken);
    first.storage.set('refreshToken', refreshToken);
    const [cookie] = await manager.commit(first);
    const value = /^logto=([^;]+)/.exec(cookie!)![1]!;
    assert.match(value, /^[\w-]{43}\.[\w-]{43}$/);
    const again = await manager.load(`logto=${value}`);
    assert.equal(again.session?.data.refreshToken, refreshToken);
    const [deletion] = await manager.destroy(again);
    assert.match(deletion!, /^logto=; Max-Age=0;/);
    assert.equal((await manager.load(`logto=${value}`)).session, undefined);
  });

  it('fails with session_store.unavailable while Redis is down, and recovers by itself', async () => {
    const id = createSessionId();
    const session = sessionWith({ idToken, refreshToken });
    await store.set(id, session, { expiresAt: epochSeconds() + 600 });
    await raw('SAVE');
    await redis.kill();
    const started = Date.now();
    await assert.rejects(store.get(id), SessionStoreUnavailableError);
    await assert.rejects(
      store.set(createSessionId(), session, { expiresAt: epochSeconds() + 60 }),
      (error: unknown) =>
        error instanceof SessionStoreUnavailableError && error.code === 'session_store.unavailable',
    );
    assert.ok(Date.now() - started < 2500, 'fails fast, does not hang');
    await redis.restart();
    let recovered: Session | undefined;
    for (let attempt = 0; attempt < 50 && !recovered; attempt += 1) {
      recovered = await store.get(id).catch(() => undefined);
      if (!recovered) await sleep(100);
    }
    assert.deepEqual(recovered, session);
  });
});
