import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { resolveConfig } from './config.js';
import { IdTokenClaimError, IdTokenSignatureError } from './errors.js';
import { checkIdTokenClaims } from './id-token.js';
import { selectKeys } from './lib/jwks.js';

const config = resolveConfig({ endpoint: 'https://tenant.logto.app', appId: 'app' });
const now = Math.floor(Date.now() / 1000);
const base = {
  iss: 'https://tenant.logto.app/oidc',
  sub: 'user_1',
  aud: 'app',
  iat: now,
  exp: now + 3600,
};

describe('checkIdTokenClaims', () => {
  it('returns typed claims and keeps unknown ones', () => {
    const claims = checkIdTokenClaims({ ...base, custom: 1, picture: null }, config);
    assert.equal(claims.sub, 'user_1');
    assert.equal(claims.picture, null);
    assert.equal(claims.custom, 1);
    assert.equal('email' in claims, false);
  });

  it('rejects a refreshed ID token for another user', () => {
    assert.throws(
      () => checkIdTokenClaims({ ...base, sub: 'user_2' }, config, { previous: base }),
      (error) =>
        error instanceof IdTokenClaimError && error.claim === 'sub' && error.reason === 'changed',
    );
  });

  it('rejects a refreshed ID token from another issuer or for another audience', () => {
    assert.throws(
      () => checkIdTokenClaims({ ...base, iss: 'https://x/oidc' }, config, { previous: base }),
      (error) => error instanceof IdTokenClaimError && error.claim === 'iss',
    );
    assert.throws(
      () =>
        checkIdTokenClaims({ ...base, aud: ['app', 'other'], azp: 'app' }, config, {
          previous: base,
        }),
      (error) => error instanceof IdTokenClaimError && error.claim === 'aud',
    );
  });

  it('rejects a refreshed ID token that gained an azp', () => {
    assert.throws(
      () => checkIdTokenClaims({ ...base, azp: 'app' }, config, { previous: base }),
      (error) => error instanceof IdTokenClaimError && error.claim === 'azp',
    );
  });

  it('rejects malformed claim types', () => {
    assert.throws(
      () => checkIdTokenClaims({ ...base, email_verified: 'yes' }, config),
      (error) => error instanceof IdTokenClaimError && error.claim === 'email_verified',
    );
  });
});

describe('selectKeys', () => {
  const ec384 = { kty: 'EC', crv: 'P-384', kid: 'a', x: '', y: '' };
  const ec256 = { kty: 'EC', crv: 'P-256', kid: 'b', x: '', y: '' };
  const rsa = { kty: 'RSA', kid: 'c', n: '', e: '' };
  const encryption = { kty: 'EC', crv: 'P-384', kid: 'd', use: 'enc', x: '', y: '' };
  const unknown = { kty: 'AKP', kid: 'e', alg: 'ML-DSA-44' };
  const keys = [ec384, ec256, rsa, encryption, unknown];

  it('matches the kid, the key type and the curve of the algorithm', () => {
    assert.deepEqual(selectKeys(keys, { alg: 'ES384', kid: 'a' }), [ec384]);
    assert.deepEqual(selectKeys(keys, { alg: 'ES384' }), [ec384]);
    assert.deepEqual(selectKeys(keys, { alg: 'RS256' }), [rsa]);
    assert.deepEqual(selectKeys(keys, { alg: 'PS384' }), [rsa]);
    assert.deepEqual(selectKeys(keys, { alg: 'ES256', kid: 'a' }), []);
  });

  it('ignores encryption keys and key types it does not know', () => {
    assert.deepEqual(selectKeys(keys, { alg: 'ES384', kid: 'd' }), []);
    assert.deepEqual(selectKeys(keys, { alg: 'ES384', kid: 'e' }), []);
  });
});

describe('ID token keys: tokens naming unknown keys', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(async () => {
    await provider.close();
  });

  it('make one JWKS request for 20 sign-ins at once, and none for 20 more in sequence', async () => {
    await signInWith(provider, clientFor(provider).client); // the keys are known
    provider.resetCounts();
    provider.signing = 'unpublished-key'; // each ID token names another unknown kid
    const refused = (error: unknown) =>
      error instanceof IdTokenSignatureError && error.reason === 'unknown_key';
    try {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          assert.rejects(signInWith(provider, clientFor(provider).client), refused),
        ),
      );
      assert.equal(provider.counts.jwks, 1, 'twenty at once');
      for (let i = 0; i < 20; i += 1) {
        await assert.rejects(signInWith(provider, clientFor(provider).client), refused);
      }
      assert.equal(provider.counts.jwks, 1, 'twenty more in sequence');
    } finally {
      provider.signing = 'normal';
    }
    // The known key still verifies.
    await signInWith(provider, clientFor(provider).client);
    assert.equal(provider.counts.jwks, 1);
  });
});

describe('ID token keys against a provider that rotates them', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(async () => {
    await provider.close();
  });

  it('picks up a rotated key at once, seconds after the last JWKS fetch', async () => {
    const { client } = clientFor(provider);
    await signInWith(provider, client); // JWKS fetched and cached
    provider.resetCounts();
    await provider.addKey();
    provider.retireOldKeys();
    const started = Date.now();
    await signInWith(provider, client);
    assert.equal(provider.counts.jwks, 1);
    assert.ok(Date.now() - started < 2_000);
  });

  it('does not refetch the JWKS for a known key', async () => {
    const { client } = clientFor(provider);
    await signInWith(provider, client);
    provider.resetCounts();
    await signInWith(provider, client);
    await signInWith(provider, client);
    assert.equal(provider.counts.jwks, 0);
  });

  it('accepts an ID token without kid when the JWKS has one matching key', async () => {
    const { client } = clientFor(provider);
    provider.signing = 'no-kid';
    try {
      await signInWith(provider, client);
    } finally {
      provider.signing = 'normal';
    }
    assert.equal(await client.isAuthenticated(), true);
  });

  it('rejects an ID token without kid when the JWKS has several matching keys', async () => {
    const twoKeys = await TestProvider.start();
    try {
      await twoKeys.addKey(); // two ES384 keys are published from the start
      const { client, storage } = clientFor(twoKeys);
      twoKeys.signing = 'no-kid';
      await assert.rejects(
        signInWith(twoKeys, client),
        (error) => error instanceof IdTokenSignatureError && error.reason === 'ambiguous_key',
      );
      assert.equal(storage.get('idToken'), undefined);
    } finally {
      await twoKeys.close();
    }
  });

  it('accepts RS256 after a rotation from EC to RSA keys', async () => {
    const { client } = clientFor(provider);
    await provider.addKey('RS256');
    provider.retireOldKeys();
    await signInWith(provider, client);
    assert.equal(await client.isAuthenticated(), true);
  });

  it('accepts PS512 and ES512 keys', async () => {
    for (const alg of ['PS512', 'ES512']) {
      const { client } = clientFor(provider);
      await provider.addKey(alg);
      provider.retireOldKeys();
      await signInWith(provider, client);
      assert.equal(await client.isAuthenticated(), true, alg);
    }
  });
});
