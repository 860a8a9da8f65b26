import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientFor, signInWith } from '@logto-kit/testing/test-client';
import { closedPort, TestProvider } from '@logto-kit/testing/test-provider';
import { LogtoClient } from './client.js';
import { InvalidGrantError, ProviderUnavailableError } from './errors.js';
import { buildSignOutUrl } from './sign-out.js';
import { MemoryStorage } from './storage.js';
import { readAccessTokenMap } from './tokens.js';

describe('buildSignOutUrl', () => {
  it('sends client_id and post_logout_redirect_uri (the seed URL)', () => {
    assert.equal(
      buildSignOutUrl('https://logto.app/oidc/logout', {
        clientId: 'replace-with-your-app-id',
        postLogoutRedirectUri: 'redirectUri',
      }).href,
      'https://logto.app/oidc/logout?client_id=replace-with-your-app-id&post_logout_redirect_uri=redirectUri',
    );
  });

  it('adds id_token_hint when there is an ID token', () => {
    const url = buildSignOutUrl('https://logto.app/oidc/session/end', {
      clientId: 'app',
      idTokenHint: 'id.token.jwt',
    });
    assert.equal(url.search, '?client_id=app&id_token_hint=id.token.jwt');
  });
});

describe('signOut', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(async () => {
    await provider.close();
  });

  it('forgets the tokens, revokes the refresh token, keeps sign-ins in flight', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    await client.signIn('http://localhost:3000/callback');
    const copy = new MemoryStorage(storage.snapshot());
    provider.resetCounts();
    const url = new URL(await client.signOut('http://localhost:3000/'));
    assert.equal(url.origin + url.pathname, `${provider.issuer}/session/end`);
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), 'http://localhost:3000/');
    assert.equal(provider.counts.revocation, 1);
    assert.deepEqual(Object.keys(storage.snapshot()), ['signInSession']);
    // Copies of the session cannot refresh any more.
    const map = readAccessTokenMap(copy.get('accessTokenMap'));
    for (const entry of Object.values(map)) entry.expiresAt = 0;
    copy.set('accessTokenMap', JSON.stringify(map));
    await assert.rejects(clientFor(provider, {}, copy).client.getAccessToken(), InvalidGrantError);
  });

  it('still signs out locally when revocation fails', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    provider.delays.revocation = 2_000;
    const slow = clientFor(provider, { timeout: 200 }, storage).client;
    try {
      const url = await slow.signOut();
      assert.match(url, /session\/end\?client_id=/);
      assert.equal(await client.isAuthenticated(), false);
    } finally {
      provider.delays.revocation = 0;
    }
  });

  it('signs out locally when the provider is down (discovery cached, revocation fails)', async () => {
    const down = await TestProvider.start();
    const { client, storage } = clientFor(down, { timeout: 500 });
    await signInWith(down, client);
    await down.close();
    const url = await client.signOut('http://localhost:3000/');
    assert.match(url, /post_logout_redirect_uri=/);
    assert.equal(storage.get('idToken'), undefined);
    assert.equal(storage.get('refreshToken'), undefined);
  });

  it('signs out locally, then reports a provider it cannot reach at all', async () => {
    const port = await closedPort();
    const storage = new MemoryStorage({ idToken: 'a.b.c', refreshToken: 'rt' });
    const client = new LogtoClient(
      { endpoint: `http://127.0.0.1:${port}`, appId: 'app' },
      { storage },
    );
    await assert.rejects(client.signOut(), ProviderUnavailableError);
    assert.deepEqual(storage.snapshot(), {});
  });

  it('refuses a relative post-logout URI', async () => {
    const { client } = clientFor(provider);
    await assert.rejects(client.signOut('/'), TypeError);
  });
});
