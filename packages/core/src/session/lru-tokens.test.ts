import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NOW } from '@logto-kit/testing/session-fixtures';
import { ACCESS_TOKEN_MAP_KEY, dropLeastRecentlyUsedTokens } from './lru-tokens.js';

function tokenKeys(data: Record<string, string>): string[] {
  const raw = data[ACCESS_TOKEN_MAP_KEY];
  return raw === undefined ? [] : Object.keys(JSON.parse(raw));
}

describe('dropLeastRecentlyUsedTokens', () => {
  const entry = (lastUsedAt: number | undefined, expiresAt = NOW + 3600) => ({
    token: 't',
    expiresAt,
    ...(lastUsedAt === undefined ? {} : { lastUsedAt }),
  });

  it('drops expired tokens first, then the least recently used, then the earliest to expire', () => {
    const data = {
      accessTokenMap: JSON.stringify({
        recent: entry(NOW),
        old: entry(NOW - 100),
        expired: entry(NOW, NOW - 1),
        oldSoon: entry(NOW - 100, NOW + 10),
        never: entry(undefined),
      }),
    };
    const order: string[] = [];
    let before = tokenKeys(data);
    while (dropLeastRecentlyUsedTokens(data, { now: NOW })) {
      const after = tokenKeys(data);
      order.push(...before.filter((key) => !after.includes(key)));
      before = after;
    }
    assert.deepEqual(order, ['expired', 'never', 'oldSoon', 'old', 'recent']);
    assert.equal(ACCESS_TOKEN_MAP_KEY in data, false);
  });

  it('keeps the seed shape { x: { … } } and the other keys', () => {
    const data = {
      idToken: 'id',
      accessTokenMap: JSON.stringify({ x: { a: entry(NOW), b: entry(NOW - 5) } }),
    };
    assert.equal(dropLeastRecentlyUsedTokens(data, { now: NOW }), true);
    assert.deepEqual(JSON.parse(data.accessTokenMap), { x: { a: entry(NOW) } });
    assert.equal(data.idToken, 'id');
  });

  it('removes a cache that does not parse, and reports false when there is none', () => {
    const data: Record<string, string> = { accessTokenMap: '{not json' };
    assert.equal(dropLeastRecentlyUsedTokens(data), true);
    assert.deepEqual(data, {});
    assert.equal(dropLeastRecentlyUsedTokens(data), false);
  });

  it('drops as many least recently used entries as it takes to free the requested bytes', () => {
    const entries = Object.fromEntries(
      Array.from({ length: 10 }, (_, index) => [
        `k${index}`,
        { token: 'x'.repeat(100), expiresAt: NOW + 60, lastUsedAt: NOW - index },
      ]),
    );
    const data = { accessTokenMap: JSON.stringify(entries) };
    const before = JSON.stringify({ data }).length;
    assert.equal(dropLeastRecentlyUsedTokens(data, { now: NOW, bytes: 300 }), true);
    assert.deepEqual(tokenKeys(data), ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
    assert.ok(before - JSON.stringify({ data }).length >= 300);
  });

  it('reports false when there is no cache', () => {
    assert.equal(dropLeastRecentlyUsedTokens({ idToken: 'x' }), false);
  });
});
