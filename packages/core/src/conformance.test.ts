/**
 * OpenID Foundation relying-party conformance, Basic plan (response_type=code), against a
 * provider that misbehaves on purpose. Each test is named after its case id, asserts the exact
 * `LogtoError` code and reason, and that the signed-in user's tokens were left as they were.
 *
 * Cases already covered elsewhere are not repeated here; SECURITY.md maps every case to its
 * test. The Config plan is in `conformance-config.test.ts`, the refresh-token cases in
 * `conformance-refresh.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertLogtoError, refusedSignIn } from '@logto-kit/testing/conformance';
import { clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';

describe('OIDF RP Basic plan: ID token audience', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(() => provider.close());

  it('rp-id_token-aud: refuses an ID token for another client', async () => {
    const error = await refusedSignIn(provider, () => {
      provider.claimsHook = (claims) => {
        claims.aud = 'another-app';
      };
    });
    assertLogtoError(error, 'id_token.claim', { claim: 'aud', reason: 'mismatch' });
  });

  it('rp-id_token-aud: refuses an ID token whose audiences do not include this client', async () => {
    const error = await refusedSignIn(provider, () => {
      provider.claimsHook = (claims) => {
        claims.aud = ['another-app', 'a-third-app'];
        claims.azp = 'another-app';
      };
    });
    assertLogtoError(error, 'id_token.claim', { claim: 'aud', reason: 'mismatch' });
  });

  it('oidcc-client-test-missing-aud: refuses an ID token without aud', async () => {
    const error = await refusedSignIn(provider, () => {
      provider.claimsHook = (claims) => {
        delete claims.aud;
      };
    });
    assertLogtoError(error, 'id_token.claim', { claim: 'aud', reason: 'missing' });
  });
});

for (const algorithm of ['RS256', 'ES256'] as const) {
  describe(`OIDF RP Basic plan: ${algorithm} signatures`, () => {
    let provider: TestProvider;
    before(async () => {
      provider = await TestProvider.start({ algorithm });
    });
    after(() => provider.close());

    it(`rp-id_token-sig-${algorithm.toLowerCase()}: accepts a valid ${algorithm} signature`, async () => {
      const { client } = clientFor(provider);
      await signInWith(provider, client, 'alice');
      assert.equal((await client.getIdTokenClaims()).sub, 'alice');
    });

    it(`rp-id_token-bad-sig-${algorithm.toLowerCase()}: refuses an invalid ${algorithm} signature`, async () => {
      const error = await refusedSignIn(provider, () => {
        provider.signing = 'bad-signature';
      });
      assertLogtoError(error, 'id_token.signature', { reason: 'invalid_signature' });
    });
  });
}
