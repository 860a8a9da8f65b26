import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientFor, REDIRECT_URI, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import type { LogtoClientConfig } from './config.js';
import { resolveConfig } from './config.js';
import { readSignInTransactions } from './lib/sign-in-transactions.js';
import { UserInfoScope } from './scopes.js';
import { buildSignInUrl, FirstScreen, SignInIdentifier, type SignInOptions } from './sign-in.js';

// The seed SDK's tests (python-sdk.md §8.2), adapted: a nonce follows the state, scopes are
// de-duplicated, the organizations resource is added in a stable order.
const AUTH = 'https://logto.app/oidc/auth';
const checks = { state: 'state', nonce: 'nonce', codeChallenge: 'codeChallenge' };
const base = 'client_id=replace-with-your-app-id&redirect_uri=redirectUri';

function url(config: Partial<LogtoClientConfig>, options: Partial<SignInOptions> = {}): string {
  const resolved = resolveConfig({
    endpoint: 'https://logto.app',
    appId: 'replace-with-your-app-id',
    ...config,
  });
  // The seed used the bare string "redirectUri"; ours must be absolute, so swap it back.
  return buildSignInUrl(AUTH, resolved, checks, {
    redirectUri: 'https://app.example/cb',
    ...options,
  })
    .href.replace('https%3A%2F%2Fapp.example%2Fcb', 'redirectUri')
    .slice(AUTH.length + 1);
}

const tail = 'code_challenge=codeChallenge&code_challenge_method=S256&state=state&nonce=nonce';

describe('buildSignInUrl (the seed URLs, adapted)', () => {
  it('builds the default URL with interactionMode signUp', () => {
    assert.equal(
      url({}, { interactionMode: 'signUp' }),
      `${base}&response_type=code&scope=openid+offline_access+profile&prompt=consent&${tail}&interaction_mode=signUp`,
    );
  });

  it('repeats resource for several resources', () => {
    assert.equal(
      url({ resources: ['https://resource1', 'https://resource2'] }),
      `${base}&response_type=code&scope=openid+offline_access+profile&resource=https%3A%2F%2Fresource1&resource=https%3A%2F%2Fresource2&prompt=consent&${tail}`,
    );
  });

  it('puts configured scopes first, then the defaults', () => {
    assert.equal(
      url({ scopes: [UserInfoScope.Email, 'phone'] }),
      `${base}&response_type=code&scope=email+phone+openid+offline_access+profile&prompt=consent&${tail}`,
    );
  });

  it('adds the organizations resource for the organizations scope', () => {
    assert.equal(
      url({ scopes: [UserInfoScope.Organizations] }),
      `${base}&response_type=code&scope=urn%3Alogto%3Ascope%3Aorganizations+openid+offline_access+profile&resource=urn%3Alogto%3Aresource%3Aorganizations&prompt=consent&${tail}`,
    );
  });

  it('adds it for the scope as a plain string too (the seed did not)', () => {
    assert.equal(
      url({ scopes: ['urn:logto:scope:organizations'] }),
      url({ scopes: [UserInfoScope.Organizations] }),
    );
  });

  it('adds the defaults once', () => {
    assert.match(
      url({ scopes: ['openid', 'profile', 'email'] }),
      /scope=openid\+profile\+email\+offline_access&/,
    );
  });

  it('sends prompt=login with scopes and resources', () => {
    assert.equal(
      url({ prompt: 'login', scopes: ['email'], resources: ['https://resource1'] }),
      `${base}&response_type=code&scope=email+openid+offline_access+profile&resource=https%3A%2F%2Fresource1&prompt=login&${tail}`,
    );
  });

  it('sends direct sign-in for SSO and social', () => {
    assert.match(
      url({}, { directSignIn: { method: 'sso', target: 'arbitrary-sso-id' } }),
      /&nonce=nonce&direct_sign_in=sso%3Aarbitrary-sso-id$/,
    );
    assert.match(
      url({}, { directSignIn: { method: 'social', target: 'google' } }),
      /&nonce=nonce&direct_sign_in=social%3Agoogle$/,
    );
  });

  it('appends extra params', () => {
    assert.match(
      url({}, { extraParams: { custom_param_1: 'value_1', custom_param_2: 'value_2' } }),
      /&nonce=nonce&custom_param_1=value_1&custom_param_2=value_2$/,
    );
  });

  it('combines interaction mode, first screen, identifiers, login hint and extra params', () => {
    assert.match(
      url(
        {},
        {
          interactionMode: 'signUp',
          firstScreen: FirstScreen.IdentifierRegister,
          identifiers: [SignInIdentifier.Email, SignInIdentifier.Username],
          loginHint: 'a@example.com',
          extraParams: { custom_param_1: 'value_1' },
        },
      ),
      /&nonce=nonce&interaction_mode=signUp&first_screen=identifier%3Aregister&identifier=email\+username&login_hint=a%40example.com&custom_param_1=value_1$/,
    );
  });

  it('sends every first screen and identifier combination', () => {
    for (const firstScreen of Object.values(FirstScreen)) {
      for (const identifier of Object.values(SignInIdentifier)) {
        const params = new URL(`${AUTH}?${url({}, { firstScreen, identifiers: [identifier] })}`)
          .searchParams;
        assert.equal(params.get('first_screen'), firstScreen);
        assert.equal(params.get('identifier'), identifier);
      }
    }
  });

  it('refuses extra params that would override the security checks', () => {
    for (const key of ['state', 'nonce', 'code_challenge', 'redirect_uri', 'client_id']) {
      assert.throws(() => url({}, { extraParams: { [key]: 'x' } }), TypeError, key);
    }
  });

  it('lets extra params override the others (e.g. prompt)', () => {
    assert.match(url({}, { extraParams: { prompt: 'login' } }), /&prompt=login&/);
  });

  it('refuses a relative redirect URI or one with a query or fragment', () => {
    for (const redirectUri of ['/callback', 'http://a.example/cb?x=1', 'http://a.example/cb#x']) {
      assert.throws(() => url({}, { redirectUri }), TypeError, redirectUri);
    }
  });
});

describe('signIn', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(async () => {
    await provider.close();
  });

  it('sends PKCE S256, a fresh state and nonce each time', async () => {
    const { client } = clientFor(provider);
    const first = new URL(await client.signIn({ redirectUri: REDIRECT_URI })).searchParams;
    const second = new URL(await client.signIn(REDIRECT_URI)).searchParams;
    assert.equal(first.get('code_challenge_method'), 'S256');
    assert.match(first.get('code_challenge') ?? '', /^[\w-]{43}$/);
    assert.match(first.get('state') ?? '', /^[\w-]{43}$/);
    assert.match(first.get('nonce') ?? '', /^[\w-]{43}$/);
    assert.notEqual(first.get('state'), second.get('state'));
    assert.notEqual(first.get('nonce'), second.get('nonce'));
    assert.notEqual(first.get('code_challenge'), second.get('code_challenge'));
  });

  it('does not sign the current user out', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    const before = storage.snapshot();
    await client.signIn({ redirectUri: REDIRECT_URI });
    assert.equal(storage.get('idToken'), before.idToken);
    assert.equal(storage.get('refreshToken'), before.refreshToken);
    assert.equal(storage.get('accessTokenMap'), before.accessTokenMap);
    assert.equal(await client.isAuthenticated(), true);
  });

  it('keeps a few sign-ins in flight, dropping the oldest', async () => {
    const { client, storage } = clientFor(provider);
    const states: string[] = [];
    for (let index = 0; index < 7; index += 1) {
      states.push(new URL(await client.signIn(REDIRECT_URI)).searchParams.get('state')!);
    }
    const transactions = readSignInTransactions(storage.get('signInSession'));
    assert.deepEqual(Object.keys(transactions).sort(), states.slice(-5).sort());
    const stored = storage.get('signInSession') ?? '';
    assert.ok(stored.length < 1_500, `signInSession is ${stored.length} bytes`);
  });

  it('forgets sign-ins older than ten minutes', () => {
    const raw = JSON.stringify({
      old: { redirectUri: REDIRECT_URI, codeVerifier: 'v', nonce: 'n', createdAt: 0 },
      new: { redirectUri: REDIRECT_URI, codeVerifier: 'v', nonce: 'n', createdAt: 600_000 },
    });
    assert.deepEqual(Object.keys(readSignInTransactions(raw, 700_000)), ['new']);
    assert.deepEqual(readSignInTransactions('{broken', 0), {});
  });
});
