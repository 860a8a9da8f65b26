/**
 * Clock skew at the edge of the tolerance (60 s by default, configurable): an ID token whose
 * `iat` is just ahead of our clock, or whose `exp` just passed, is accepted inside the tolerance
 * and refused just outside it, with nothing stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertLogtoError, refusedSignIn } from '@logto-kit/testing/conformance';
import { clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { DEFAULT_CLOCK_TOLERANCE } from './config.js';

/** Seconds kept away from the edge so that a test taking a second or two cannot flip. */
const margin = 5;
const now = (): number => Math.floor(Date.now() / 1000);

describe('clock skew at the tolerance edge', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(() => provider.close());

  async function acceptedWith(
    change: (claims: Record<string, unknown>) => void,
    clockTolerance?: number,
  ): Promise<void> {
    const { client } = clientFor(provider, clockTolerance === undefined ? {} : { clockTolerance });
    provider.claimsHook = change;
    try {
      await signInWith(provider, client, 'alice');
    } finally {
      provider.behave();
    }
    assert.equal((await client.getIdTokenClaims()).sub, 'alice');
  }

  it(`uses a ${DEFAULT_CLOCK_TOLERANCE} s tolerance by default`, () => {
    assert.equal(DEFAULT_CLOCK_TOLERANCE, 60);
  });

  it('accepts an iat just inside the tolerance ahead of our clock', async () => {
    await acceptedWith((claims) => {
      claims.iat = now() + DEFAULT_CLOCK_TOLERANCE - margin;
    });
  });

  it('refuses an iat just outside the tolerance ahead of our clock', async () => {
    const error = await refusedSignIn(provider, () => {
      provider.claimsHook = (claims) => {
        claims.iat = now() + DEFAULT_CLOCK_TOLERANCE + margin;
      };
    });
    assertLogtoError(error, 'id_token.claim', { claim: 'iat', reason: 'not_yet_valid' });
  });

  it('accepts an exp that passed just inside the tolerance', async () => {
    await acceptedWith((claims) => {
      claims.iat = now() - 600;
      claims.exp = now() - DEFAULT_CLOCK_TOLERANCE + margin;
    });
  });

  it('refuses an exp that passed just outside the tolerance', async () => {
    const error = await refusedSignIn(provider, () => {
      provider.claimsHook = (claims) => {
        claims.iat = now() - 600;
        claims.exp = now() - DEFAULT_CLOCK_TOLERANCE - margin;
      };
    });
    assertLogtoError(error, 'id_token.claim', { claim: 'exp', reason: 'expired' });
  });

  it('applies a configured tolerance to both edges', async () => {
    const clockTolerance = 10;
    await acceptedWith((claims) => {
      claims.iat = now() + clockTolerance - margin;
    }, clockTolerance);
    const { client, storage } = clientFor(provider, { clockTolerance });
    const callback = await client.signIn({ redirectUri: 'http://localhost:3000/callback' });
    provider.claimsHook = (claims) => {
      claims.iat = now() + clockTolerance + margin;
    };
    try {
      const error = await client
        .handleSignInCallback(await provider.authorize(callback, 'alice'))
        .then(
          () => assert.fail('the callback was accepted'),
          (rejection: unknown) => rejection,
        );
      assertLogtoError(error, 'id_token.claim', { claim: 'iat', reason: 'not_yet_valid' });
      assert.equal(storage.get('idToken'), undefined);
    } finally {
      provider.behave();
    }
  });
});
