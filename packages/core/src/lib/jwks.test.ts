import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { IdTokenSignatureError, ProviderResponseError } from '../errors.js';
import { JWKS_MAX_AGE } from '../resource-server/options.js';
import { keyFreshness, processJwks, RemoteKeySet } from './jwks.js';

async function key(kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair('ES384', { extractable: true });
  return { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' };
}

describe('RemoteKeySet', () => {
  it('takes a key published since the last fetch at once, with one refetch', async () => {
    const set = new RemoteKeySet({ cooldown: 60_000 });
    const published = [await key('a')];
    let fetches = 0;
    const load = async () => {
      fetches += 1;
      return [...published];
    };
    await set.getKey({ alg: 'ES384', kid: 'a' }, load);
    published.push(await key('b'));
    await set.getKey({ alg: 'ES384', kid: 'b' }, load); // right after the first fetch
    // A refetch that found its key starts no cooldown: the next rotation is taken at once too.
    published.push(await key('c'));
    await set.getKey({ alg: 'ES384', kid: 'c' }, load);
    assert.equal(fetches, 3);
  });

  it('makes one JWKS request per cooldown for unknown kids, at once or in sequence', async () => {
    const set = new RemoteKeySet({ cooldown: 300 });
    const published = [await key('a')];
    let fetches = 0;
    const load = async () => {
      fetches += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return [...published];
    };
    const miss = (kid: string) =>
      set.getKey({ alg: 'ES384', kid }, load).then(
        () => assert.fail(`${kid} was accepted`),
        (error: unknown) => assert.ok(error instanceof IdTokenSignatureError, String(error)),
      );
    // Cold: the first load serves every caller that waited for it; none refetches.
    await Promise.all(Array.from({ length: 20 }, (_, i) => miss(`cold-${i}`)));
    assert.equal(fetches, 1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await set.getKey({ alg: 'ES384', kid: 'a' }, load); // warm, no fetch
    assert.equal(fetches, 1);
    await Promise.all(Array.from({ length: 20 }, (_, i) => miss(`at-once-${i}`)));
    assert.equal(fetches, 2, 'twenty misses at once: one refetch');
    for (let i = 0; i < 20; i += 1) await miss(`in-sequence-${i}`);
    assert.equal(fetches, 2, 'twenty misses in sequence within the cooldown: none');
    await new Promise((resolve) => setTimeout(resolve, 350));
    for (let i = 0; i < 5; i += 1) await miss(`later-${i}`);
    assert.equal(fetches, 3, 'after the cooldown: one more');
  });

  it('refuses a key published within the cooldown until it ends', async () => {
    const set = new RemoteKeySet({ cooldown: 200 });
    const published = [await key('a')];
    const load = async () => [...published];
    await set.getKey({ alg: 'ES384', kid: 'a' }, load);
    await assert.rejects(set.getKey({ alg: 'ES384', kid: 'nope' }, load), IdTokenSignatureError);
    published.push(await key('b'));
    await assert.rejects(set.getKey({ alg: 'ES384', kid: 'b' }, load), IdTokenSignatureError);
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.ok(await set.getKey({ alg: 'ES384', kid: 'b' }, load));
  });

  it('throws the provider error of a failed refetch, then waits out the cooldown', async () => {
    const set = new RemoteKeySet({ cooldown: 60_000 });
    let up = true;
    let fetches = 0;
    const published = [await key('a')];
    const load = async () => {
      fetches += 1;
      if (!up) throw new ProviderResponseError('down');
      return [...published];
    };
    await set.getKey({ alg: 'ES384', kid: 'a' }, load);
    up = false;
    await assert.rejects(set.getKey({ alg: 'ES384', kid: 'x' }, load), ProviderResponseError);
    await assert.rejects(set.getKey({ alg: 'ES384', kid: 'y' }, load), IdTokenSignatureError);
    assert.equal(fetches, 2);
    assert.ok(await set.getKey({ alg: 'ES384', kid: 'a' }, load), 'the keys in hand still work');
  });

  it('bounds the age of the keys for a caller with maxAge, also when the provider is down', async () => {
    const set = new RemoteKeySet();
    const published = [await key('a'), await key('b')];
    let up = true;
    let fetches = 0;
    const load = async () => {
      fetches += 1;
      if (!up) throw new ProviderResponseError('down');
      return [...published];
    };
    const first = await set.resolve({ alg: 'ES384', kid: 'a' }, load, 400);
    assert.ok(first.freshUntil - Date.now() <= 200, 'fresh for maxAge / 2');
    published.splice(0, 1); // the provider removes key a
    // Without maxAge (the sign-in client), the keys in hand stay fresh for ten minutes.
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.ok(await set.resolve({ alg: 'ES384', kid: 'a' }, load));
    assert.equal(fetches, 1);
    // With maxAge, keys older than maxAge / 2 are fetched again: key a is gone.
    await assert.rejects(set.resolve({ alg: 'ES384', kid: 'a' }, load, 400), IdTokenSignatureError);
    assert.equal(fetches, 2);
    // The provider goes down: the keys in hand serve until maxAge, then its error.
    up = false;
    await new Promise((resolve) => setTimeout(resolve, 250));
    const stale = await set.resolve({ alg: 'ES384', kid: 'b' }, load, 400);
    assert.ok(stale.freshUntil <= Date.now(), 'stale keys: nothing may remember the result');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await assert.rejects(set.resolve({ alg: 'ES384', kid: 'b' }, load, 400), ProviderResponseError);
    assert.ok(await set.resolve({ alg: 'ES384', kid: 'b' }, load), 'the sign-in client: 24 h');
  });

  it('states the windows: 10 min fresh and 24 h stale for the client, 10 min and 1 h by default for an API', () => {
    assert.deepEqual(keyFreshness(), { ttl: 10 * 60_000, maxStale: 24 * 60 * 60_000 });
    assert.deepEqual(keyFreshness(JWKS_MAX_AGE * 1000), {
      ttl: 10 * 60_000,
      maxStale: 60 * 60_000,
    });
    assert.deepEqual(keyFreshness(10 * 60_000), { ttl: 5 * 60_000, maxStale: 10 * 60_000 });
  });

  it('changes its generation when the fetched keys differ, and only then', async () => {
    const set = new RemoteKeySet({ cooldown: 0 });
    const published = [await key('a')];
    const load = async () => [...published];
    await set.getKey({ alg: 'ES384', kid: 'a' }, load);
    const first = set.generation;
    await set.getKey({ alg: 'ES384', kid: 'nope' }, load).catch(() => undefined); // same keys
    assert.equal(set.generation, first);
    published.unshift(await key('b')); // a rotation
    await set.getKey({ alg: 'ES384', kid: 'b' }, load);
    assert.equal(set.generation, first + 1);
  });

  it('keeps a key that does not declare an alg out when asked for declared ones', async () => {
    const set = new RemoteKeySet();
    const { alg: _alg, ...bare } = await key('a');
    const load = async () => [bare];
    await assert.rejects(
      set.getKey({ alg: 'ES384', kid: 'a', declaredAlg: true }, load),
      IdTokenSignatureError,
    );
    assert.ok(await set.getKey({ alg: 'ES384', kid: 'a' }, load));
  });

  it('ignores keys it cannot use and rejects a body without keys', async () => {
    const ec = await key('a');
    const rsa = { kty: 'RSA', kid: 'r', n: 'sXch', e: 'AQAB' };
    const unusable = [
      1,
      null,
      [],
      { kty: 'EC' },
      { kty: 'EC', crv: 'P-384', x: ec.x },
      { kty: 'EC', crv: 'P-384', x: 'not base64url!', y: ec.y },
      { kty: 'RSA', e: 'AQAB' },
      { kty: 'AKP', alg: 'ML-DSA-44', pub: 'AAAA' },
      { kty: 'oct', k: 'AAAA' },
      { kty: 'constructor' },
      { kty: '__proto__' },
    ];
    assert.deepEqual(processJwks({ keys: [...unusable, ec, rsa] }), [ec, rsa]);
    assert.throws(() => processJwks({}), ProviderResponseError);
  });
});
