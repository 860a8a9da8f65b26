/**
 * OpenID Foundation relying-party conformance, Config plan: discovery and the provider's keys,
 * against a provider that misbehaves on purpose. Discovery and the JWKS are cached per endpoint
 * for the whole process, so every case that changes them starts its own provider.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertLogtoError, refusedSignIn, storedTokens } from '@logto-kit/testing/conformance';
import { API_RESOURCE, clientFor, REDIRECT_URI, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';

/** Starts a provider, lets `prepare` change it before any client sees it, closes it after `run`. */
async function withProvider(
  prepare: (provider: TestProvider) => void | Promise<void>,
  run: (provider: TestProvider) => Promise<void>,
): Promise<void> {
  const provider = await TestProvider.start();
  try {
    await prepare(provider);
    await run(provider);
  } finally {
    await provider.close();
  }
}

describe('OIDF RP Config plan: discovery', () => {
  it('rp-discovery-openid-configuration: uses every endpoint the discovery document names', async () => {
    await withProvider(
      (provider) => {
        provider.paths.authorization = '/v2/authorize';
        provider.paths.token = '/v2/token';
        provider.paths.userinfo = '/v2/userinfo';
        provider.paths.jwks = '/v2/keys';
        provider.paths.revocation = '/v2/revoke';
      },
      async (provider) => {
        const { client } = clientFor(provider);
        const url = new URL(await client.signIn({ redirectUri: REDIRECT_URI }));
        assert.equal(url.pathname, '/v2/authorize');
        await client.handleSignInCallback(await provider.authorize(url.href, 'alice'));
        await client.getAccessToken(API_RESOURCE);
        assert.equal((await client.fetchUserInfo()).sub, 'alice');
        await client.signOut();
        assert.deepEqual(
          { ...provider.counts },
          { discovery: 1, jwks: 1, authorization: 1, token: 2, userinfo: 1, revocation: 1 },
        );
      },
    );
  });

  it('rp-discovery-jwks_uri-keys: verifies with the keys at the discovered jwks_uri', async () => {
    await withProvider(
      (provider) => {
        provider.paths.jwks = '/certs/signing-keys.json';
      },
      async (provider) => {
        const { client } = clientFor(provider);
        await signInWith(provider, client, 'alice');
        assert.equal((await client.getIdTokenClaims()).sub, 'alice');
        assert.equal(provider.counts.jwks, 1);
      },
    );
  });

  it('rp-discovery-issuer-not-matching-config: refuses a document for another issuer', async () => {
    await withProvider(
      (provider) => {
        provider.discoveryHook = (document) => {
          document.issuer = 'https://evil.example/oidc';
        };
      },
      async (provider) => {
        const { client, storage } = clientFor(provider);
        const error = await client.signIn({ redirectUri: REDIRECT_URI }).then(
          () => assert.fail('the sign-in started'),
          (rejection: unknown) => rejection,
        );
        assertLogtoError(error, 'discovery.issuer_mismatch');
        assert.deepEqual(storage.snapshot(), {}, 'no sign-in was stored');
        assert.equal(provider.counts.authorization, 0);
        assert.equal(provider.counts.jwks, 0);
      },
    );
  });
});

describe('OIDF RP Config plan: keys', () => {
  /** What the suite publishes next to the real key: RFC 7517 §5 says to ignore all of it. */
  const unparseableKeys = [
    // A post-quantum key with a made-up ML-DSA parameter set, and a key type nobody knows.
    { kty: 'AKP', alg: 'ML-DSA-31', kid: 'pq-1', pub: 'bm90LWEta2V5' },
    { kty: 'made-up', kid: 'mystery', k: 'AAAA' },
    // Keys of a known type that miss their required members.
    { kty: 'EC', crv: 'P-384', kid: 'no-coordinates' },
    { kty: 'EC', kid: 'no-curve', x: 'AAAA', y: 'AAAA' },
    { kty: 'RSA', kid: 'no-modulus', e: 'AQAB' },
    // Not keys at all.
    null,
    42,
    'a string',
    [],
    {},
  ];

  it('oidcc-client-test-ignores-unparseable-key-in-jwks: verifies with the real key next to garbage', async () => {
    await withProvider(
      (provider) => {
        provider.extraJwks = unparseableKeys;
      },
      async (provider) => {
        const { client } = clientFor(provider);
        await signInWith(provider, client, 'alice');
        assert.equal((await client.getIdTokenClaims()).sub, 'alice');
      },
    );
  });

  it('oidcc-client-test-ignores-unparseable-key-in-jwks: also when the ID token has no kid', async () => {
    await withProvider(
      (provider) => {
        provider.extraJwks = unparseableKeys;
        provider.signing = 'no-kid';
      },
      async (provider) => {
        const { client } = clientFor(provider);
        await signInWith(provider, client, 'alice');
        assert.equal((await client.getIdTokenClaims()).sub, 'alice');
      },
    );
  });

  it('oidcc-client-test-ignores-unparseable-key-in-jwks: still refuses a token signed by none of the keys', async () => {
    await withProvider(
      (provider) => {
        provider.extraJwks = unparseableKeys;
      },
      async (provider) => {
        const error = await refusedSignIn(provider, () => {
          provider.signing = 'unpublished-key';
        });
        assertLogtoError(error, 'id_token.signature', { reason: 'unknown_key' });
      },
    );
  });

  describe('rp-key-rotation-op-sign-key on refresh', () => {
    let provider: TestProvider;
    before(async () => {
      provider = await TestProvider.start();
    });
    after(() => provider.close());

    it('accepts a refreshed ID token signed by a key published since the last JWKS fetch', async () => {
      const { client, storage } = clientFor(provider);
      await signInWith(provider, client, 'alice');
      const before = storedTokens(storage);
      provider.resetCounts();
      await provider.addKey();
      provider.retireOldKeys();
      await client.getAccessToken(API_RESOURCE);
      assert.equal(provider.counts.jwks, 1, 'one JWKS refetch for the new kid');
      assert.notEqual(storage.get('idToken'), before.idToken, 'the new ID token was stored');
      assert.equal((await client.getIdTokenClaims()).sub, 'alice');
    });
  });
});
