import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientFor, REDIRECT_URI } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { LogtoClient } from './client.js';
import { MemoryStorage, type Storage, type StorageKey } from './storage.js';

describe('MemoryStorage', () => {
  it('gets, sets and deletes; instances share nothing', () => {
    const a = new MemoryStorage();
    const b = new MemoryStorage();
    a.set('idToken', 'x');
    assert.equal(a.get('idToken'), 'x');
    assert.equal(b.get('idToken'), undefined);
    a.delete('idToken');
    assert.equal(a.get('idToken'), undefined);
  });

  it('starts from a snapshot', () => {
    const a = new MemoryStorage({ refreshToken: 'rt' });
    assert.deepEqual(new MemoryStorage(a.snapshot()).snapshot(), { refreshToken: 'rt' });
  });
});

describe('an asynchronous storage', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(async () => {
    await provider.close();
  });

  it('works the same as a synchronous one', async () => {
    const values = new Map<StorageKey, string>();
    const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
    const storage: Storage = {
      get: async (key) => {
        await tick();
        return values.get(key) ?? null;
      },
      set: async (key, value) => {
        await tick();
        values.set(key, value);
      },
      delete: async (key) => {
        await tick();
        values.delete(key);
      },
    };
    const { client: reference } = clientFor(provider);
    const client = new LogtoClient(reference.config, { storage });
    const url = await client.signIn({ redirectUri: REDIRECT_URI });
    await client.handleSignInCallback(await provider.authorize(url));
    assert.equal(await client.isAuthenticated(), true);
    assert.equal((await client.getIdTokenClaims()).sub, 'user_1');
    assert.ok(await client.getAccessToken('https://api.example.com'));
  });
});
