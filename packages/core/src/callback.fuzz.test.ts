/** Bad input gets a clear error and loses nothing: the callback fuzzed with fast-check. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientFor, REDIRECT_URI, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import fc from 'fast-check';
import { checkCallback, parseCallbackUrl } from './callback.js';
import { LogtoError } from './errors.js';

const sessions = {
  'known-state': {
    redirectUri: REDIRECT_URI,
    codeVerifier: 'v',
    nonce: 'n',
    createdAt: Date.now(),
  },
};

const queryValue = fc.oneof(fc.string(), fc.constant('known-state'), fc.webSegment());
const query = fc.dictionary(
  fc.constantFrom('code', 'state', 'error', 'error_description', 'iss', 'x'),
  queryValue,
);
const callbackUrl = fc.oneof(
  fc.string(),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  query.map((params) => `${REDIRECT_URI}?${new URLSearchParams(params)}`),
);

describe('the callback under arbitrary input', () => {
  it('either accepts or throws a LogtoError, never anything else', () => {
    fc.assert(
      fc.property(callbackUrl, (input) => {
        try {
          const url = parseCallbackUrl(input);
          const accepted = checkCallback(url, sessions, 'https://tenant.logto.app/oidc');
          assert.equal(accepted.state, 'known-state');
          assert.ok(url.searchParams.get('code'));
        } catch (error) {
          assert.ok(error instanceof LogtoError, String(error));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  describe('through the client', () => {
    let provider: TestProvider;
    before(async () => {
      provider = await TestProvider.start();
    });
    after(async () => {
      await provider.close();
    });

    it('rejects with a LogtoError and keeps the signed-in user', async () => {
      const { client, storage } = clientFor(provider);
      await signInWith(provider, client);
      const state = new URL(await client.signIn({ redirectUri: REDIRECT_URI })).searchParams.get(
        'state',
      )!;
      const before = storage.snapshot();
      await fc.assert(
        fc.asyncProperty(query, async (params) => {
          const input = new URL(REDIRECT_URI);
          for (const [key, value] of Object.entries(params)) {
            input.searchParams.set(key, value === 'known-state' ? state : value);
          }
          await assert.rejects(client.handleSignInCallback(input.href), LogtoError);
          assert.equal(storage.get('idToken'), before.idToken);
          assert.equal(storage.get('refreshToken'), before.refreshToken);
          assert.equal(storage.get('accessTokenMap'), before.accessTokenMap);
        }),
        { numRuns: 100 },
      );
    });
  });
});
