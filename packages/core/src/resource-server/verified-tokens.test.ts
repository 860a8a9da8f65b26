import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { RemoteKeySet } from '../lib/jwks.js';
import type { AccessTokenAuth } from './access-token-auth.js';
import { VerifiedTokens } from './verified-tokens.js';

const now = Date.UTC(2026, 0, 1);
const auth = (expiresAt: number) => ({ expiresAt }) as AccessTokenAuth;
/** A key taken from `keys` whose key set is fresh for `ms` after `at`. */
const fresh = (keys: RemoteKeySet, at: number, ms = 10 * 60_000) => ({
  generation: keys.generation,
  freshUntil: at + ms,
});

describe('VerifiedTokens', () => {
  it('serves an entry until the token expires, never at or after exp', () => {
    const cache = new VerifiedTokens(10);
    const keys = new RemoteKeySet();
    const entry = auth(now / 1000 + 60);
    cache.set('t', entry, keys, fresh(keys, now), now);
    assert.equal(cache.get('t', now + 59_999), entry);
    assert.equal(cache.get('t', now + 60_000), undefined);
    cache.set('expired', auth(now / 1000 - 1), keys, fresh(keys, now), now);
    assert.equal(cache.size, 0);
  });

  it('rechecks once its key set is due to be fetched again, even for a long-lived token', () => {
    const cache = new VerifiedTokens(10);
    const keys = new RemoteKeySet();
    cache.set('t', auth(now / 1000 + 86_400), keys, fresh(keys, now - 60_000), now);
    assert.ok(cache.get('t', now + 8 * 60_000));
    assert.equal(cache.get('t', now + 9 * 60_000), undefined);
    // Verified with keys already due (a provider that cannot be reached): not remembered.
    cache.set('stale', auth(now / 1000 + 86_400), keys, fresh(keys, now - 60_000, 0), now);
    assert.equal(cache.get('stale', now), undefined);
  });

  it('drops what it holds once the key set changes (a rotation)', async () => {
    const cache = new VerifiedTokens(10);
    const keys = new RemoteKeySet({ cooldown: 0 });
    const jwk = async (kid: string) => ({
      ...(await exportJWK((await generateKeyPair('ES384', { extractable: true })).publicKey)),
      kid,
    });
    const published = [await jwk('a')];
    await keys.getKey({ alg: 'ES384', kid: 'a' }, async () => [...published]);
    cache.set('t', auth(Date.now() / 1000 + 3600), keys, fresh(keys, Date.now()), Date.now());
    assert.ok(cache.get('t', Date.now()));
    published.push(await jwk('b'));
    await keys.getKey({ alg: 'ES384', kid: 'b' }, async () => [...published]);
    assert.equal(cache.get('t', Date.now()), undefined);
  });

  it('is bounded', () => {
    const cache = new VerifiedTokens(2);
    const keys = new RemoteKeySet();
    for (const token of ['a', 'b', 'c']) {
      cache.set(token, auth(now / 1000 + 60), keys, fresh(keys, now), now);
    }
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a', now), undefined);
  });
});
