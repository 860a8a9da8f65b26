import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { callbackFor, clientFor, REDIRECT_URI, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { checkCallback, parseCallbackUrl } from './callback.js';
import {
  AuthorizationError,
  IdTokenClaimError,
  IdTokenSignatureError,
  InvalidCallbackError,
  SignInTransactionNotFoundError,
} from './errors.js';
import type { SignInTransaction } from './sign-in-transaction.js';

const ISSUER = 'https://tenant.logto.app/oidc';
const transaction: SignInTransaction = {
  redirectUri: 'http://localhost:3000/callback',
  codeVerifier: 'verifier',
  nonce: 'nonce',
  createdAt: Date.now(),
};
const transactions = { 'state-1': transaction };

describe('checkCallback', () => {
  it('accepts a callback on the redirect URI with the state and a code', () => {
    const url = new URL('http://localhost:3000/callback?code=c&state=state-1');
    const accepted = checkCallback(url, transactions, ISSUER);
    assert.equal(accepted.state, 'state-1');
    assert.equal(accepted.transaction, transaction);
  });

  it('rejects a URL without a state', () => {
    const url = new URL('http://localhost:3000/callback?code=c');
    assert.throws(
      () => checkCallback(url, transactions, ISSUER),
      (error) => error instanceof InvalidCallbackError && error.reason === 'missing_state',
    );
  });

  it('reports an unknown state as a missing sign-in transaction', () => {
    const url = new URL('http://localhost:3000/callback?code=c&state=other');
    assert.throws(() => checkCallback(url, transactions, ISSUER), SignInTransactionNotFoundError);
  });

  it('does not treat inherited object keys as states', () => {
    const url = new URL('http://localhost:3000/callback?code=c&state=__proto__');
    assert.throws(() => checkCallback(url, transactions, ISSUER), SignInTransactionNotFoundError);
  });

  it('compares the origin, not only the path (the seed compared the path only)', () => {
    const url = new URL('http://evil.example:3000/callback?code=c&state=state-1');
    assert.throws(
      () => checkCallback(url, transactions, ISSUER),
      (error) => error instanceof InvalidCallbackError && error.reason === 'redirect_uri_mismatch',
    );
  });

  it('compares the path', () => {
    const url = new URL('http://localhost:3000/other?code=c&state=state-1');
    assert.throws(
      () => checkCallback(url, transactions, ISSUER),
      (error) => error instanceof InvalidCallbackError && error.reason === 'redirect_uri_mismatch',
    );
  });

  it('surfaces the provider error with its description', () => {
    const url = new URL(
      'http://localhost:3000/callback?error=access_denied&error_description=cancelled&state=state-1',
    );
    assert.throws(
      () => checkCallback(url, transactions, ISSUER),
      (error) =>
        error instanceof AuthorizationError &&
        error.error === 'access_denied' &&
        error.errorDescription === 'cancelled' &&
        error.clientSafe,
    );
  });

  it('rejects a callback without a code', () => {
    const url = new URL('http://localhost:3000/callback?state=state-1');
    assert.throws(
      () => checkCallback(url, transactions, ISSUER),
      (error) => error instanceof InvalidCallbackError && error.reason === 'missing_code',
    );
  });

  it('rejects an iss parameter from another issuer (RFC 9207)', () => {
    const url = new URL('http://localhost:3000/callback?code=c&state=state-1&iss=https://evil');
    assert.throws(
      () => checkCallback(url, transactions, ISSUER),
      (error) => error instanceof InvalidCallbackError && error.reason === 'issuer_mismatch',
    );
  });

  it('requires the iss parameter when the provider announces it', () => {
    const url = new URL('http://localhost:3000/callback?code=c&state=state-1');
    assert.throws(
      () => checkCallback(url, transactions, ISSUER, true),
      (error) => error instanceof InvalidCallbackError && error.reason === 'issuer_mismatch',
    );
  });

  it('rejects a callback URL that is not a URL', () => {
    assert.throws(
      () => parseCallbackUrl('/callback?code=c'),
      (error) => error instanceof InvalidCallbackError && error.reason === 'invalid_url',
    );
  });
});

describe('handleSignInCallback against a provider that misbehaves', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(async () => {
    await provider.close();
  });

  /** Signs in with the provider set up by `setup`, returns the error (or undefined). */
  async function rejection(setup: () => void): Promise<unknown> {
    const { client, storage } = clientFor(provider);
    const callback = await callbackFor(provider, client);
    setup();
    try {
      await client.handleSignInCallback(callback);
      return undefined;
    } catch (error) {
      // A rejected callback stores nothing.
      assert.equal(storage.get('idToken'), undefined);
      assert.equal(storage.get('refreshToken'), undefined);
      assert.equal(storage.get('accessTokenMap'), undefined);
      return error;
    } finally {
      provider.signing = 'normal';
      provider.claimsHook = undefined;
    }
  }

  it('accepts a well-signed ES384 ID token and stores the tokens', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    assert.equal(await client.isAuthenticated(), true);
    assert.equal((await client.getIdTokenClaims()).sub, 'user_1');
    assert.ok(storage.get('refreshToken'));
    assert.deepEqual(Object.keys(JSON.parse(storage.get('accessTokenMap')!)), ['']);
  });

  it('rejects a bad signature', async () => {
    const error = await rejection(() => {
      provider.signing = 'bad-signature';
    });
    assert.ok(error instanceof IdTokenSignatureError);
    assert.equal(error.reason, 'invalid_signature');
  });

  it('rejects a token signed by an unknown key (after one JWKS refetch)', async () => {
    provider.resetCounts();
    const error = await rejection(() => {
      provider.signing = 'unpublished-key';
    });
    assert.ok(error instanceof IdTokenSignatureError);
    assert.equal(error.reason, 'unknown_key');
    assert.ok(provider.counts.jwks <= 2, `jwks fetched ${provider.counts.jwks} times`);
  });

  it('rejects alg "none"', async () => {
    const error = await rejection(() => {
      provider.signing = 'none';
    });
    assert.ok(error instanceof IdTokenSignatureError);
    assert.equal(error.reason, 'unsupported_algorithm');
  });

  it('rejects HS256 (a symmetric signature)', async () => {
    const error = await rejection(() => {
      provider.signing = 'hs256';
    });
    assert.ok(error instanceof IdTokenSignatureError);
    assert.equal(error.reason, 'unsupported_algorithm');
  });

  const claimCases: [string, (claims: Record<string, unknown>) => void, string, string][] = [
    [
      'a wrong issuer',
      (c) => {
        c.iss = 'https://evil.example/oidc';
      },
      'iss',
      'mismatch',
    ],
    [
      'a wrong audience',
      (c) => {
        c.aud = 'another-app';
      },
      'aud',
      'mismatch',
    ],
    [
      'several audiences without azp',
      (c) => {
        c.aud = [c.aud, 'another-app'];
      },
      'aud',
      'mismatch',
    ],
    [
      'an azp that is another client',
      (c) => {
        c.azp = 'another-app';
      },
      'azp',
      'mismatch',
    ],
    [
      'a missing iat',
      (c) => {
        delete c.iat;
      },
      'iat',
      'missing',
    ],
    [
      'a missing sub',
      (c) => {
        delete c.sub;
      },
      'sub',
      'missing',
    ],
    [
      'an expired token',
      (c) => {
        c.exp = Math.floor(Date.now() / 1000) - 600;
      },
      'exp',
      'expired',
    ],
    [
      'an iat in the future',
      (c) => {
        c.iat = Math.floor(Date.now() / 1000) + 600;
      },
      'iat',
      'not_yet_valid',
    ],
    [
      'a wrong nonce',
      (c) => {
        c.nonce = 'another-nonce';
      },
      'nonce',
      'mismatch',
    ],
    [
      'a missing nonce',
      (c) => {
        delete c.nonce;
      },
      'nonce',
      'missing',
    ],
  ];
  for (const [name, hook, claim, reason] of claimCases) {
    it(`rejects ${name}`, async () => {
      const error = await rejection(() => {
        provider.claimsHook = hook;
      });
      assert.ok(error instanceof IdTokenClaimError, `got ${String(error)}`);
      assert.equal(error.claim, claim);
      if (claim !== 'aud') assert.equal(error.reason, reason);
    });
  }

  it('accepts several audiences when azp is this client', async () => {
    const error = await rejection(() => {
      provider.claimsHook = (c) => {
        c.aud = [c.aud, 'another-app'];
        c.azp = provider.clientId;
      };
    });
    assert.equal(error, undefined);
  });

  it('tolerates a little clock skew', async () => {
    const error = await rejection(() => {
      provider.claimsHook = (c) => {
        c.iat = Math.floor(Date.now() / 1000) + 20;
      };
    });
    assert.equal(error, undefined);
  });

  it('keeps the current user signed in when a new sign-in is rejected', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client, 'alice');
    const before = storage.snapshot();
    const callback = await callbackFor(provider, client, 'bob');
    provider.signing = 'bad-signature';
    await assert.rejects(client.handleSignInCallback(callback), IdTokenSignatureError);
    provider.signing = 'normal';
    assert.equal(storage.get('idToken'), before.idToken);
    assert.equal(storage.get('refreshToken'), before.refreshToken);
    assert.equal((await client.getIdTokenClaims()).sub, 'alice');
  });

  it('lets two sign-ins in flight (two tabs) both complete', async () => {
    const { client } = clientFor(provider);
    const first = await client.signIn({ redirectUri: REDIRECT_URI });
    const second = await client.signIn({ redirectUri: REDIRECT_URI });
    const secondCallback = await provider.authorize(second, 'bob');
    const firstCallback = await provider.authorize(first, 'alice');
    await client.handleSignInCallback(secondCallback);
    assert.equal((await client.getIdTokenClaims()).sub, 'bob');
    await client.handleSignInCallback(firstCallback);
    assert.equal((await client.getIdTokenClaims()).sub, 'alice');
  });

  it('does not accept the same callback twice', async () => {
    const { client } = clientFor(provider);
    const callback = await callbackFor(provider, client);
    await client.handleSignInCallback(callback);
    await assert.rejects(client.handleSignInCallback(callback), SignInTransactionNotFoundError);
  });

  it('sends the code with PKCE and the sign-in redirect URI, authenticated with Basic', async () => {
    const { client } = clientFor(provider);
    await signInWith(provider, client);
    const request = provider.tokenRequests.at(-1)!;
    assert.equal(request.get('grant_type'), 'authorization_code');
    assert.equal(request.get('redirect_uri'), REDIRECT_URI);
    assert.ok(request.get('code_verifier'));
    assert.equal(request.get('resource'), null);
    assert.match(provider.tokenAuthorizations.at(-1) ?? '', /^Basic /);
    assert.equal(request.get('client_secret'), null);
  });
});
