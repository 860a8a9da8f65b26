import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RefreshLock } from './lock.js';
import { SHARED_GRACE, sharedRefresh } from './shared-refresh.js';

interface Result {
  refreshToken: string;
  expiresAt: number;
  accessToken: string;
}

/** What Redis does for the lock, in memory: values and locks with expiry, shared by "instances". */
class ExpiringStore implements RefreshLock {
  readonly values = new Map<string, { value: string; until: number }>();

  #live(key: string): string | undefined {
    const entry = this.values.get(key);
    if (entry && entry.until > Date.now()) return entry.value;
    this.values.delete(key);
    return undefined;
  }

  async acquire(key: string, ttl: number) {
    if (this.#live(`lock:${key}`) !== undefined) return undefined;
    const token = String(Math.random());
    this.values.set(`lock:${key}`, { value: token, until: Date.now() + ttl });
    return async () => {
      if (this.#live(`lock:${key}`) === token) this.values.delete(`lock:${key}`);
    };
  }

  async get(key: string) {
    return this.#live(key);
  }

  async set(key: string, value: string, ttl: number) {
    this.values.set(key, { value, until: Date.now() + ttl });
  }
}

const later = () => Math.floor(Date.now() / 1000) + 3600;

/** A token endpoint with strict rotation: each refresh token works once. */
function strictProvider() {
  const spent = new Set<string>();
  let next = 0;
  const calls: string[] = [];
  return {
    calls,
    perform:
      (target: string) =>
      async (token: string): Promise<Result> => {
        calls.push(`${token}:${target}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (spent.has(token)) throw new Error(`${token} reused`);
        spent.add(token);
        next += 1;
        return {
          refreshToken: `rt${next}`,
          expiresAt: later(),
          accessToken: `at${next}:${target}`,
        };
      },
  };
}

const options = { lockTtl: 2_000 };

describe('sharedRefresh (across instances, over a RefreshLock)', () => {
  it('makes one grant for concurrent callers of several instances', async () => {
    const lock = new ExpiringStore();
    const provider = strictProvider();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        sharedRefresh(lock, 's', 'rt0', 'a', provider.perform('a'), options),
      ),
    );
    assert.equal(provider.calls.length, 1);
    assert.deepEqual(new Set(results.map((result) => result.accessToken)), new Set(['at1:a']));
  });

  it('gives a late caller with the old refresh token the shared result, not a replay', async () => {
    const lock = new ExpiringStore();
    const provider = strictProvider();
    const first = await sharedRefresh(lock, 's', 'rt0', 'a', provider.perform('a'), options);
    const late = await sharedRefresh(lock, 's', 'rt0', 'a', provider.perform('a'), options);
    assert.deepEqual(late, first);
    assert.equal(provider.calls.length, 1);
  });

  it('follows the rotation for another target instead of spending the old token', async () => {
    const lock = new ExpiringStore();
    const provider = strictProvider();
    await sharedRefresh(lock, 's', 'rt0', 'a', provider.perform('a'), options);
    const other = await sharedRefresh(lock, 's', 'rt0', 'b', provider.perform('b'), options);
    assert.deepEqual(provider.calls, ['rt0:a', 'rt1:b']);
    assert.equal(other.refreshToken, 'rt2');
  });

  it('proceeds when the lock holder crashed: the lock expires, one grant is made', async () => {
    const lock = new ExpiringStore();
    const provider = strictProvider();
    // An instance takes the lock and dies before its grant or its release.
    const crashed: RefreshLock = {
      acquire: (key) => lock.acquire(key, 300),
      get: (key) => lock.get(key),
      set: (key, value, ttl) => lock.set(key, value, ttl),
    };
    void sharedRefresh(crashed, 's', 'rt0', 'a', () => new Promise<Result>(() => {}), options);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const result = await sharedRefresh(lock, 's', 'rt0', 'a', provider.perform('a'), options);
    assert.ok(Date.now() - started >= 200, 'waited for the lock to expire');
    assert.equal(result.accessToken, 'at1:a');
    assert.equal(provider.calls.length, 1);
  });

  it('shares only ciphertext under hashed names: no token in the lock store', async () => {
    const lock = new ExpiringStore();
    const provider = strictProvider();
    await sharedRefresh(lock, 's', 'rt0', 'a', provider.perform('a'), options);
    const everything = [...lock.values].map(([key, { value }]) => `${key}=${value}`).join('\n');
    assert.ok(!/rt0|rt1|at1/.test(everything));
    const ttls = [...lock.values.values()].map(({ until }) => until - Date.now());
    assert.ok(ttls.every((ttl) => ttl > 0 && ttl <= SHARED_GRACE));
  });

  it('lets the grant error through and frees the lock for the next caller', async () => {
    const lock = new ExpiringStore();
    const provider = strictProvider();
    await assert.rejects(
      sharedRefresh(
        lock,
        's',
        'rt0',
        'a',
        () => Promise.reject(new Error('provider down')),
        options,
      ),
      /provider down/,
    );
    const result = await sharedRefresh(lock, 's', 'rt0', 'a', provider.perform('a'), options);
    assert.equal(result.accessToken, 'at1:a');
  });
});
