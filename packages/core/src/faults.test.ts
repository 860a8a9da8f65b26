/** The provider is down or slow: every call fails fast with a coded error, never hangs. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API_RESOURCE, clientFor, REDIRECT_URI, signInWith } from '@logto-kit/testing/test-client';
import { closedPort, TestProvider } from '@logto-kit/testing/test-provider';
import { LogtoClient } from './client.js';
import {
  LogtoError,
  ProviderResponseError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from './errors.js';
import { MemoryStorage } from './storage.js';

async function elapsed(run: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await run();
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

describe('a provider that is down', () => {
  it('fails sign-in with provider.unavailable at once', async () => {
    const port = await closedPort();
    const client = new LogtoClient(
      { endpoint: `http://127.0.0.1:${port}`, appId: 'app' },
      { storage: new MemoryStorage() },
    );
    const { error, ms } = await elapsed(() => client.signIn({ redirectUri: REDIRECT_URI }));
    assert.ok(error instanceof ProviderUnavailableError, String(error));
    assert.ok(ms < 2_000, `${ms} ms`);
  });

  it('fails a refresh with provider.unavailable and keeps the session', async () => {
    const provider = await TestProvider.start();
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    const before = storage.snapshot();
    await provider.close();
    const { error } = await elapsed(() => client.getAccessToken(API_RESOURCE));
    assert.ok(error instanceof ProviderUnavailableError, String(error));
    assert.equal(storage.get('refreshToken'), before.refreshToken);
    assert.equal(await client.isAuthenticated(), true);
  });
});

describe('a provider that is slow', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(async () => {
    await provider.close();
  });

  const timeout = 300;

  it('times out discovery within the configured timeout', async () => {
    const slow = await TestProvider.start();
    try {
      slow.delays.discovery = 2_000;
      const { client } = clientFor(slow, { timeout });
      const { error, ms } = await elapsed(() => client.signIn({ redirectUri: REDIRECT_URI }));
      assert.ok(error instanceof ProviderTimeoutError, String(error));
      assert.ok(ms < timeout + 1_000, `${ms} ms`);
    } finally {
      await slow.close();
    }
  });

  for (const route of ['token', 'jwks'] as const) {
    it(`times out a slow ${route} endpoint during the callback`, async () => {
      const slow = await TestProvider.start();
      try {
        const { client, storage } = clientFor(slow, { timeout });
        const url = await client.signIn({ redirectUri: REDIRECT_URI });
        const callback = await slow.authorize(url);
        slow.delays[route] = 2_000;
        const { error, ms } = await elapsed(() => client.handleSignInCallback(callback));
        assert.ok(error instanceof ProviderTimeoutError, String(error));
        assert.ok(ms < 2 * timeout + 1_500, `${ms} ms`);
        assert.equal(storage.get('idToken'), undefined);
      } finally {
        await slow.close();
      }
    });
  }

  it('times out a slow refresh, and the next call works once the provider recovers', async () => {
    const { client, storage } = clientFor(provider, { timeout });
    await signInWith(provider, client);
    provider.delays.token = 2_000;
    const { error, ms } = await elapsed(() => client.getAccessToken(API_RESOURCE));
    assert.ok(error instanceof ProviderTimeoutError, String(error));
    assert.ok(ms < timeout + 1_000, `${ms} ms`);
    provider.delays.token = 0;
    // The slow request may still have been answered; with a strict provider that token is
    // spent. Either way the error was a LogtoError and the storage kept a refresh token.
    assert.ok(storage.get('refreshToken'));
  });

  it('times out a slow userinfo endpoint', async () => {
    const { client } = clientFor(provider, { timeout });
    await signInWith(provider, client);
    provider.delays.userinfo = 2_000;
    try {
      const { error, ms } = await elapsed(() => client.fetchUserInfo());
      assert.ok(error instanceof ProviderTimeoutError, String(error));
      assert.ok(ms < timeout + 1_000, `${ms} ms`);
    } finally {
      provider.delays.userinfo = 0;
    }
  });
});

describe('a provider that answers garbage', () => {
  it('reports a non-JSON discovery document as provider.invalid_response', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<html>maintenance</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const client = new LogtoClient(
        { endpoint: `http://127.0.0.1:${port}`, appId: 'app' },
        { storage: new MemoryStorage() },
      );
      const { error } = await elapsed(() => client.signIn({ redirectUri: REDIRECT_URI }));
      assert.ok(error instanceof ProviderResponseError, String(error));
      assert.ok(error instanceof LogtoError);
    } finally {
      server.close();
    }
  });
});
