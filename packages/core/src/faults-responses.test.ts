/**
 * A provider that answers, but badly: the token endpoint fails with HTTP 500, the JWKS is
 * garbage. Every call fails with a coded error, a sign-in stores nothing, a signed-in session
 * keeps its tokens. (Down and slow providers: `faults.test.ts`.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertLogtoError, refusedRefresh, refusedSignIn } from '@logto-kit/testing/conformance';
import { clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';

describe('a token endpoint that fails', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(() => provider.close());

  const internalError = { status: 500, body: '<html>Internal Server Error</html>' };

  it('fails the callback with provider.unavailable on HTTP 500 and stores nothing', async () => {
    const error = await refusedSignIn(provider, () => {
      provider.cannedResponses.token = internalError;
    });
    assertLogtoError(error, 'provider.unavailable');
  });

  it('fails a refresh with provider.unavailable on HTTP 500 and keeps the session', async () => {
    const error = await refusedRefresh(provider, () => {
      provider.cannedResponses.token = internalError;
    });
    assertLogtoError(error, 'provider.unavailable');
  });

  it('works again once the token endpoint recovers', async () => {
    const { client } = clientFor(provider);
    provider.cannedResponses.token = internalError;
    await assert.rejects(signInWith(provider, client, 'alice'));
    provider.behave();
    await signInWith(provider, client, 'alice');
    assert.equal((await client.getIdTokenClaims()).sub, 'alice');
  });

  it('reports a 200 answer that is not JSON as provider.invalid_response', async () => {
    const error = await refusedSignIn(provider, () => {
      provider.cannedResponses.token = { status: 200, body: 'not json' };
    });
    assertLogtoError(error, 'provider.invalid_response');
  });
});

describe('a JWKS endpoint that serves garbage', () => {
  const garbage: [string, { status: number; body: string; contentType?: string }][] = [
    ['an HTML page', { status: 200, body: '<html>maintenance</html>' }],
    [
      'JSON without keys',
      { status: 200, body: '{"keys":"none"}', contentType: 'application/json' },
    ],
    ['truncated JSON', { status: 200, body: '{"keys":[{"kty":', contentType: 'application/json' }],
    ['HTTP 500', { status: 500, body: 'oops' }],
  ];
  for (const [name, response] of garbage) {
    it(`fails the callback with provider.invalid_response for ${name}, storing nothing`, async () => {
      // A fresh provider: the keys are cached per endpoint once fetched.
      const provider = await TestProvider.start();
      try {
        const { client, storage } = clientFor(provider);
        const url = await client.signIn({ redirectUri: 'http://localhost:3000/callback' });
        const callback = await provider.authorize(url, 'alice');
        provider.cannedResponses.jwks = response;
        const error = await client.handleSignInCallback(callback).then(
          () => assert.fail('the callback was accepted'),
          (rejection: unknown) => rejection,
        );
        assertLogtoError(error, 'provider.invalid_response');
        assert.equal(storage.get('idToken'), undefined);
        assert.equal(storage.get('refreshToken'), undefined);
      } finally {
        await provider.close();
      }
    });
  }

  it('keeps verifying with the cached keys when a later JWKS fetch returns garbage', async () => {
    const provider = await TestProvider.start();
    try {
      const { client } = clientFor(provider);
      await signInWith(provider, client, 'alice');
      provider.cannedResponses.jwks = { status: 200, body: '<html>maintenance</html>' };
      await signInWith(provider, client, 'bob');
      assert.equal((await client.getIdTokenClaims()).sub, 'bob');
    } finally {
      await provider.close();
    }
  });
});
