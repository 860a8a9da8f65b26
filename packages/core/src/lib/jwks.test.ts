import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { IdTokenSignatureError, ProviderResponseError } from '../errors.js';
import { processJwks, RemoteKeySet } from './jwks.js';

async function key(kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair('ES384', { extractable: true });
  return { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' };
}

describe('RemoteKeySet', () => {
  it('refetches at most once per cooldown for unknown kids, waiting instead of failing', async () => {
    const set = new RemoteKeySet({ cooldown: 200 });
    const published = [await key('a')];
    let fetches = 0;
    const load = async () => {
      fetches += 1;
      return [...published];
    };
    await set.getKey({ alg: 'ES384', kid: 'a' }, load);
    published.push(await key('b'));
    const started = Date.now();
    await set.getKey({ alg: 'ES384', kid: 'b' }, load); // right after the first fetch
    assert.ok(Date.now() - started >= 150, 'waited for the cooldown');
    assert.equal(fetches, 2);
    const unknown = Array.from({ length: 10 }, () =>
      set.getKey({ alg: 'ES384', kid: 'nope' }, load).catch((error: unknown) => error),
    );
    const errors = await Promise.all(unknown);
    assert.ok(errors.every((error) => error instanceof IdTokenSignatureError));
    assert.equal(fetches, 3, 'ten misses at once made one request');
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
