import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedValue } from './shared-value.js';

describe('SharedValue', () => {
  it('loads once for concurrent callers and serves it while fresh', async () => {
    const value = new SharedValue<number>({ ttl: 60_000, maxStale: 60_000, retryDelay: 1_000 });
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return loads;
    };
    assert.deepEqual(
      await Promise.all([value.get(load), value.get(load), value.get(load)]),
      [1, 1, 1],
    );
    assert.equal(await value.get(load), 1);
    assert.equal(loads, 1);
  });

  it('reloads after the TTL', async () => {
    const value = new SharedValue<number>({ ttl: 0, maxStale: 60_000, retryDelay: 1_000 });
    let loads = 0;
    const load = async () => ++loads;
    await value.get(load);
    await new Promise((resolve) => setTimeout(resolve, 2));
    assert.equal(await value.get(load), 2);
  });

  it('serves the previous value when a reload fails, and throws when there is none', async () => {
    const value = new SharedValue<string>({ ttl: 0, maxStale: 60_000, retryDelay: 60_000 });
    await assert.rejects(
      value.get(async () => Promise.reject(new Error('down'))),
      /down/,
    );
    await value.get(async () => 'v1');
    await new Promise((resolve) => setTimeout(resolve, 2));
    let attempts = 0;
    const failing = async (): Promise<string> => {
      attempts += 1;
      throw new Error('down');
    };
    assert.equal(await value.get(failing), 'v1');
    assert.equal(await value.get(failing), 'v1'); // within the retry delay: no new attempt
    assert.equal(attempts, 1);
  });
});
