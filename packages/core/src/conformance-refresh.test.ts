/**
 * OpenID Foundation relying-party conformance, refresh-token plan (OIDC Core §12.2): an ID token
 * that comes with a refresh must be about the same user, from the same issuer, for the same
 * client. Each refusal has its exact code and reason, and the stored tokens stay as they were
 * (the old refresh token is kept; the grant's answer is dropped).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertLogtoError, refusedRefresh } from '@logto-kit/testing/conformance';
import { API_RESOURCE, clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';

describe('OIDF RP refresh-token plan', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(() => provider.close());

  /** Changes the claims of ID tokens from refreshes only. */
  const onRefresh = (change: (claims: Record<string, unknown>) => void) => () => {
    provider.claimsHook = (claims, kind) => {
      if (kind === 'refresh') change(claims);
    };
  };

  it('oidcc-client-test-refresh-token: refreshes, stores the rotated tokens, and uses the new access token', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client, 'alice');
    const refreshToken = storage.get('refreshToken');
    await client.getAccessToken(API_RESOURCE);
    assert.notEqual(storage.get('refreshToken'), refreshToken, 'the rotated token was stored');
    assert.equal((await client.getIdTokenClaims()).sub, 'alice');
  });

  it('oidcc-client-test-refresh-token-invalid-issuer: refuses a refreshed ID token from another issuer', async () => {
    const error = await refusedRefresh(
      provider,
      onRefresh((claims) => {
        claims.iss = 'https://evil.example/oidc';
      }),
    );
    // The issuer check against the configuration comes first, so it is a mismatch.
    assertLogtoError(error, 'id_token.claim', { claim: 'iss', reason: 'mismatch' });
  });

  it('oidcc-client-test-refresh-token-invalid-sub: refuses a refreshed ID token for another user', async () => {
    const error = await refusedRefresh(
      provider,
      onRefresh((claims) => {
        claims.sub = 'mallory';
      }),
    );
    assertLogtoError(error, 'id_token.claim', { claim: 'sub', reason: 'changed' });
  });

  it('oidcc-client-test-refresh-token-invalid-aud: refuses a refreshed ID token for another client', async () => {
    const error = await refusedRefresh(
      provider,
      onRefresh((claims) => {
        claims.aud = 'another-app';
      }),
    );
    assertLogtoError(error, 'id_token.claim', { claim: 'aud', reason: 'mismatch' });
  });

  it('oidcc-client-test-refresh-token-invalid-aud: refuses a refreshed ID token that gained an audience', async () => {
    const error = await refusedRefresh(
      provider,
      onRefresh((claims) => {
        claims.aud = [provider.clientId, 'another-app'];
        claims.azp = provider.clientId;
      }),
    );
    assertLogtoError(error, 'id_token.claim', { claim: 'aud', reason: 'changed' });
  });

  it('oidcc-client-test-refresh-token-invalid-azp: refuses a refreshed ID token that gained an azp', async () => {
    const error = await refusedRefresh(
      provider,
      onRefresh((claims) => {
        claims.azp = provider.clientId;
      }),
    );
    assertLogtoError(error, 'id_token.claim', { claim: 'azp', reason: 'changed' });
  });

  it('refuses a refreshed ID token with a bad signature', async () => {
    const error = await refusedRefresh(provider, () => {
      provider.signing = 'bad-signature';
    });
    assertLogtoError(error, 'id_token.signature', { reason: 'invalid_signature' });
  });

  it('refuses an unsigned refreshed ID token (rp-id_token-sig-none, on refresh)', async () => {
    const error = await refusedRefresh(provider, () => {
      provider.signing = 'none';
    });
    assertLogtoError(error, 'id_token.signature', { reason: 'unsupported_algorithm' });
  });
});
