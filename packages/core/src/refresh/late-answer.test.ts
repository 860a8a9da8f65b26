/**
 * A token response that arrives after the caller's deadline, after the provider already
 * rotated the refresh token (strict rotation: the old one is spent, reusing it revokes the
 * grant). The caller fails with `provider.timeout`; the late result is kept, so the next
 * request with the same session gets the new tokens instead of replaying the spent one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { LogtoClient } from '../client.js';
import { ProviderTimeoutError } from '../errors.js';
import { MemoryStorage } from '../storage.js';

const timeout = 400;

function expireAccessTokens(storage: MemoryStorage): void {
  const map = JSON.parse(storage.get('accessTokenMap') ?? '{}') as Record<string, object>;
  for (const key of Object.keys(map)) map[key] = { ...map[key], expiresAt: 0 };
  storage.set('accessTokenMap', JSON.stringify(map));
}

describe('a token response that arrives after the timeout', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start({ rotateRefreshTokens: true, revokeOnReuse: true });
  });
  after(async () => {
    await provider.close();
  });

  it('fails the caller in time, keeps the late rotation, and the session goes on', async () => {
    const { client, storage } = clientFor(provider, { timeout });
    await signInWith(provider, client);
    expireAccessTokens(storage);
    const spent = storage.get('refreshToken');
    provider.resetCounts();
    provider.lateAnswers.token = timeout + 300; // after the deadline, within the exchange's
    const started = Date.now();
    await assert.rejects(client.getAccessToken(), ProviderTimeoutError);
    const ms = Date.now() - started;
    assert.ok(ms < timeout + 500, `${ms} ms`);
    assert.equal(storage.get('refreshToken'), spent, 'the caller stored nothing');
    assert.equal(provider.counts.token, 1, 'the provider rotated the token');
    delete provider.lateAnswers.token;
    await sleep(600); // the late answer arrives

    // The next request (a fresh client over the same, stale session) does not replay the token.
    const session = new MemoryStorage(storage.snapshot());
    const next = new LogtoClient(client.config, { storage: session });
    assert.ok(await next.getAccessToken());
    assert.equal(provider.counts.token, 1, 'no second grant with the spent token');
    assert.notEqual(session.get('refreshToken'), spent);
    // And the rotated token works on: the grant was not revoked.
    expireAccessTokens(session);
    assert.ok(await next.getAccessToken());
    assert.equal(provider.counts.token, 2);
  });
});
