// Refresh ahead: when a token is due (a share of its lifetime, capped by the caller's seconds),
// and what prefetch adds. Time is passed in (`now`), so no test sleeps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API_RESOURCE, clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { readAccessTokenMap } from '../tokens.js';
import { PREFETCHED_ORGANIZATIONS, REFRESH_AHEAD_SHARE, refreshAhead } from './refresh-ahead.js';

describe('refreshAhead', () => {
  let provider: TestProvider;
  const organizations = Array.from({ length: PREFETCHED_ORGANIZATIONS + 2 }, (_, i) => `org_${i}`);
  before(async () => {
    provider = await TestProvider.start({ organizations });
    // The user's organizations, in the ID token as Logto puts them there.
    provider.claimsHook = (claims) => {
      claims.organizations = organizations;
    };
  });
  after(() => provider.close());

  /** A signed-in client whose tokens live `ttl` seconds. */
  async function signedIn(ttl: number) {
    provider.accessTokenTtl = ttl;
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    const grants = () => provider.counts.token;
    return { config: client.config, storage, grants, start: grants() };
  }

  it('refreshes a 5-second token once a quarter of its lifetime is left, not on every call', async () => {
    const { config, storage, grants, start } = await signedIn(5);
    const entry = readAccessTokenMap(storage.get('accessTokenMap'))[''];
    assert.ok(entry?.issuedAt !== undefined, 'the sign-in records when the token was issued');
    const lifetime = entry.expiresAt - entry.issuedAt;
    const now = Date.now();
    // With seconds: 30 the old rule refreshed on every call: every 5-second token is "due".
    assert.equal(await refreshAhead(config, storage, 30, {}, now), 0);
    assert.equal(grants(), start, 'fresh: no grant');
    const almost = (entry.expiresAt - lifetime * REFRESH_AHEAD_SHARE - 0.5) * 1000;
    assert.equal(await refreshAhead(config, storage, 30, {}, almost), 0, 'not due yet');
    const due = (entry.expiresAt - lifetime * REFRESH_AHEAD_SHARE + 0.1) * 1000;
    assert.equal(await refreshAhead(config, storage, 30, {}, due), 1, 'due: one grant');
    assert.equal(grants(), start + 1);
  });

  it('caps the share of a long lifetime by the seconds asked for', async () => {
    const { config, storage, grants, start } = await signedIn(3600);
    const entry = readAccessTokenMap(storage.get('accessTokenMap'))[''];
    assert.ok(entry);
    assert.equal(await refreshAhead(config, storage, 30, {}, (entry.expiresAt - 31) * 1000), 0);
    assert.equal(await refreshAhead(config, storage, 30, {}, (entry.expiresAt - 29) * 1000), 1);
    assert.equal(grants(), start + 1);
  });

  it('falls back to the seconds for a token cached before issuedAt was kept (opaque)', async () => {
    const { config, storage } = await signedIn(5);
    const map = readAccessTokenMap(storage.get('accessTokenMap'));
    const { issuedAt: _dropped, ...old } = map[''] ?? { token: '', expiresAt: 0 };
    storage.set('accessTokenMap', JSON.stringify({ '': old }));
    assert.equal(await refreshAhead(config, storage, 30, {}, Date.now()), 1);
  });

  it('with prefetch, gets each configured resource and the first organizations the session lacks', async () => {
    const { config, storage, grants, start } = await signedIn(3600);
    assert.equal(
      await refreshAhead(config, storage, 30, {}, Date.now()),
      0,
      'nothing cached is due',
    );
    const made = await refreshAhead(config, storage, 30, { prefetch: true }, Date.now());
    assert.equal(made, 1 + PREFETCHED_ORGANIZATIONS, 'the API resource and 10 of 12 organizations');
    assert.equal(grants(), start + made);
    const keys = Object.keys(readAccessTokenMap(storage.get('accessTokenMap')));
    assert.ok(keys.includes(API_RESOURCE));
    assert.ok(keys.includes('urn:logto:organization:org_0'));
    assert.ok(!keys.includes(`urn:logto:organization:org_${PREFETCHED_ORGANIZATIONS}`));
    assert.ok(!keys.includes('urn:logto:resource:organizations'), 'not the template resource');
    assert.equal(
      await refreshAhead(config, storage, 30, { prefetch: true }, Date.now()),
      0,
      'all present and fresh: nothing more',
    );
  });
});
