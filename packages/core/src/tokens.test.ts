import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { API_RESOURCE, clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { resolveConfig } from './config.js';
import {
  AccessDeniedError,
  InvalidGrantError,
  NotAuthenticatedError,
  OpaqueAccessTokenError,
  OrganizationsScopeRequiredError,
} from './errors.js';
import { refreshParameters } from './refresh/grant.js';
import { MemoryStorage } from './storage.js';
import {
  accessTokenExpiry,
  isFresh,
  LAST_USED_GRANULARITY,
  readAccessTokenMap,
  resolveTokenTarget,
  touchCachedToken,
} from './tokens.js';

const config = resolveConfig({
  endpoint: 'https://tenant.logto.app',
  appId: 'app',
  resources: ['https://api.example.com'],
  scopes: ['urn:logto:scope:organizations'],
});

describe('token targets', () => {
  it('keys the default token as "" and sends nothing extra', () => {
    const target = resolveTokenTarget(config);
    assert.equal(target.key, '');
    assert.equal(refreshParameters(target).toString(), '');
  });

  it('sends resource= for an API resource', () => {
    const target = resolveTokenTarget(config, 'https://api.example.com');
    assert.equal(target.key, 'https://api.example.com');
    assert.equal(refreshParameters(target).toString(), 'resource=https%3A%2F%2Fapi.example.com');
  });

  it('sends organization_id= (and no resource) for an organization token', () => {
    const target = resolveTokenTarget(config, undefined, 'org_1');
    assert.equal(target.key, 'urn:logto:organization:org_1');
    assert.equal(refreshParameters(target).toString(), 'organization_id=org_1');
  });

  it('treats an organization URN as the resource like the seed SDK did', () => {
    assert.deepEqual(
      resolveTokenTarget(config, 'urn:logto:organization:org_1'),
      resolveTokenTarget(config, undefined, 'org_1'),
    );
  });

  it('sends both for an organization-scoped API token', () => {
    const target = resolveTokenTarget(config, 'https://api.example.com', 'org_1');
    assert.equal(target.key, 'https://api.example.com#urn:logto:organization:org_1');
    assert.equal(
      refreshParameters(target).toString(),
      'resource=https%3A%2F%2Fapi.example.com&organization_id=org_1',
    );
  });

  it('refuses a resource that sign-in did not request (Logto would say invalid_target)', () => {
    assert.throws(() => resolveTokenTarget(config, 'https://other.example.com'), TypeError);
  });

  it('needs the organizations scope for organization tokens', () => {
    const plain = resolveConfig({ endpoint: 'https://tenant.logto.app', appId: 'app' });
    assert.throws(
      () => resolveTokenTarget(plain, undefined, 'org_1'),
      OrganizationsScopeRequiredError,
    );
  });
});

describe('the access token cache', () => {
  it('uses a token until a margin before it expires', () => {
    const start = Date.parse('2030-01-01T00:00:00Z');
    const expiresAt = accessTokenExpiry(start, 3600);
    assert.equal(expiresAt, start / 1000 + 3540);
    assert.equal(isFresh({ token: 't', expiresAt }, start + 3539_000), true);
    assert.equal(isFresh({ token: 't', expiresAt }, start + 3540_000), false);
  });

  it('still caches short-lived tokens (a tenth of the lifetime as margin)', () => {
    assert.equal(accessTokenExpiry(0, 10), 9);
  });

  it('records a use only when the last one is older than the granularity (no churn)', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const seconds = now / 1000;
    const entry = { token: 't', expiresAt: seconds + 3600, lastUsedAt: seconds - 10 };
    assert.equal(touchCachedToken(entry, now), undefined);
    const stale = { ...entry, lastUsedAt: seconds - LAST_USED_GRANULARITY };
    assert.deepEqual(touchCachedToken(stale, now), { ...entry, lastUsedAt: seconds });
    assert.equal(
      touchCachedToken({ token: 't', expiresAt: seconds + 1 }, now)?.lastUsedAt,
      seconds,
    );
  });

  it('reads a corrupt map as empty', () => {
    assert.deepEqual(readAccessTokenMap('{not json'), {});
    assert.deepEqual(readAccessTokenMap('{"x":{"token":1}}'), {});
    assert.deepEqual(readAccessTokenMap(undefined), {});
  });
});

describe('getAccessToken against a provider with rotating refresh tokens', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start({ rotateRefreshTokens: true });
  });
  after(async () => {
    await provider.close();
  });
  beforeEach(() => {
    provider.resetCounts();
  });

  /** Marks every cached access token as expired. */
  function expireAccessTokens(storage: MemoryStorage): void {
    const map = readAccessTokenMap(storage.get('accessTokenMap'));
    for (const entry of Object.values(map)) entry.expiresAt = 0;
    storage.set('accessTokenMap', JSON.stringify(map));
  }

  it('serves a cached token with no network request at all', async () => {
    let requests = 0;
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    const copy = new MemoryStorage(storage.snapshot());
    const counting = clientFor(
      provider,
      {
        fetch: async (input, init) => {
          requests += 1;
          return fetch(input, init);
        },
      },
      copy,
    ).client;
    provider.resetCounts();
    const before = copy.snapshot();
    await counting.getAccessToken();
    await counting.getIdTokenClaims();
    await counting.isAuthenticated();
    assert.equal(requests, 0);
    // A token used moments ago is not re-stamped: the session does not change.
    assert.deepEqual(copy.snapshot(), before);
    assert.deepEqual(Object.values(provider.counts), [0, 0, 0, 0, 0, 0]);
  });

  it('gets a JWT for an API resource with resource= and caches it per resource', async () => {
    const { client } = clientFor(provider);
    await signInWith(provider, client);
    provider.resetCounts();
    const token = await client.getAccessToken(API_RESOURCE);
    assert.equal(await client.getAccessToken(API_RESOURCE), token);
    assert.equal(provider.counts.token, 1);
    assert.equal(provider.tokenRequests.at(-1)?.get('resource'), API_RESOURCE);
    const claims = await client.getAccessTokenClaims(API_RESOURCE);
    assert.equal(claims.aud, API_RESOURCE);
    assert.equal(provider.counts.token, 1);
  });

  it('gets organization tokens with organization_id= and caches them per organization', async () => {
    const { client } = clientFor(provider);
    await signInWith(provider, client);
    const claims = await client.getOrganizationTokenClaims('org_1');
    assert.equal(claims.aud, 'urn:logto:organization:org_1');
    assert.equal(provider.tokenRequests.at(-1)?.get('organization_id'), 'org_1');
    assert.equal(provider.tokenRequests.at(-1)?.get('resource'), null);
    await client.getOrganizationToken('org_1');
    assert.equal(provider.counts.token, 2); // code exchange + one refresh
  });

  it('gets an organization-scoped API token with both parameters', async () => {
    const { client } = clientFor(provider);
    await signInWith(provider, client);
    const claims = await client.getAccessTokenClaims(API_RESOURCE, { organizationId: 'org_1' });
    assert.equal(claims.aud, API_RESOURCE);
    assert.equal(claims.organization_id, 'org_1');
  });

  it('reports a non-member organization as access_denied', async () => {
    const { client } = clientFor(provider);
    await signInWith(provider, client);
    await assert.rejects(
      client.getOrganizationToken('org_other'),
      (error) =>
        error instanceof AccessDeniedError &&
        error.code === 'oauth.access_denied' &&
        error.status === 403,
    );
    // The failed request did not cost the session its refresh token.
    await client.getOrganizationToken('org_1');
  });

  it('refuses claims of the opaque default token', async () => {
    const { client } = clientFor(provider);
    await signInWith(provider, client);
    await assert.rejects(client.getAccessTokenClaims(), OpaqueAccessTokenError);
  });

  it('stores the rotated refresh token and the new ID token', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    const before = storage.snapshot();
    await client.getAccessToken(API_RESOURCE);
    assert.notEqual(storage.get('refreshToken'), before.refreshToken);
    assert.notEqual(storage.get('idToken'), before.idToken);
    assert.equal((await client.getIdTokenClaims()).sub, 'user_1');
  });

  it('makes one token request for 50 concurrent calls on an expired token', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    expireAccessTokens(storage);
    provider.resetCounts();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => client.getAccessToken()));
    assert.equal(provider.counts.token, 1);
    assert.equal(new Set(tokens).size, 1);
  });

  it('makes one token request for 50 client instances holding copies of one session', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    expireAccessTokens(storage);
    const copies = Array.from({ length: 50 }, () =>
      clientFor(provider, {}, new MemoryStorage(storage.snapshot())),
    );
    provider.resetCounts();
    const tokens = await Promise.all(copies.map(({ client: copy }) => copy.getAccessToken()));
    assert.equal(provider.counts.token, 1);
    assert.equal(new Set(tokens).size, 1);
    const refreshTokens = new Set(copies.map(({ storage: copy }) => copy.get('refreshToken')));
    assert.equal(refreshTokens.size, 1);
    assert.notEqual([...refreshTokens][0], storage.get('refreshToken'));
  });

  it('gives a late caller holding the old refresh token the new tokens', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    expireAccessTokens(storage);
    const stale = new MemoryStorage(storage.snapshot());
    await client.getAccessToken();
    provider.resetCounts();
    const late = clientFor(provider, {}, stale).client;
    assert.equal(await late.getAccessToken(), await client.getAccessToken());
    assert.equal(provider.counts.token, 0);
    assert.equal(stale.get('refreshToken'), storage.get('refreshToken'));
    // And the rotated token still works (the old one was never replayed).
    expireAccessTokens(storage);
    await client.getAccessToken(API_RESOURCE);
  });

  it('chains concurrent requests for different targets through the rotated token', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    expireAccessTokens(storage);
    const copies = Array.from(
      { length: 10 },
      () => clientFor(provider, {}, new MemoryStorage(storage.snapshot())).client,
    );
    provider.resetCounts();
    await Promise.all(
      copies.flatMap((copy) => [
        copy.getAccessToken(),
        copy.getAccessToken(API_RESOURCE),
        copy.getOrganizationToken('org_1'),
      ]),
    );
    assert.equal(provider.counts.token, 3);
  });

  it('re-reads the storage after invalid_grant when another process rotated the token', async () => {
    const lenient = await TestProvider.start({ revokeOnReuse: false });
    try {
      const { client, storage } = clientFor(lenient);
      await signInWith(lenient, client);
      const stale = storage.get('refreshToken')!;
      // Another process (outside this process's coordinator) spends the token and stores the new one.
      const response = await fetch(`${lenient.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: lenient.clientId,
          refresh_token: stale,
        }),
      });
      const rotated = ((await response.json()) as { refresh_token: string }).refresh_token;
      let reads = 0;
      const shared = new MemoryStorage(storage.snapshot());
      const { client: late } = clientFor(lenient, {}, shared);
      shared.get = (key) => {
        if (key !== 'refreshToken') return MemoryStorage.prototype.get.call(shared, key);
        reads += 1;
        return reads === 1 ? stale : rotated;
      };
      lenient.resetCounts();
      await late.getOrganizationToken('org_1');
      assert.equal(lenient.counts.token, 2); // invalid_grant with the stale token, then success
      assert.deepEqual(
        lenient.tokenRequests.slice(-2).map((request) => request.get('refresh_token')),
        [stale, rotated],
      );
    } finally {
      await lenient.close();
    }
  });

  it('throws invalid_grant when the refresh token is revoked', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    expireAccessTokens(storage);
    provider.revokeAll();
    await assert.rejects(client.getAccessToken(), InvalidGrantError);
  });

  it('says not authenticated without a refresh token', async () => {
    const { client } = clientFor(provider);
    await assert.rejects(client.getAccessToken(), NotAuthenticatedError);
  });
});
