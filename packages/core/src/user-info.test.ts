import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { NotAuthenticatedError, UserInfoError } from './errors.js';
import { processUserInfo } from './user-info.js';

describe('processUserInfo', () => {
  it('keeps unknown claims and nulls', () => {
    const info = processUserInfo({ sub: 'u', picture: null, extra: [1] }, 'u');
    assert.equal(info.picture, null);
    assert.deepEqual(info.extra, [1]);
  });

  it('rejects another subject', () => {
    assert.throws(
      () => processUserInfo({ sub: 'someone-else' }, 'u'),
      (error) => error instanceof UserInfoError && error.reason === 'subject_mismatch',
    );
  });

  it('rejects a body without sub', () => {
    assert.throws(
      () => processUserInfo({ name: 'x' }, 'u'),
      (error) => error instanceof UserInfoError && error.reason === 'invalid_response',
    );
  });
});

describe('fetchUserInfo', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await TestProvider.start();
  });
  after(async () => {
    await provider.close();
  });

  it('returns the userinfo claims with the Bearer default token', async () => {
    const { client } = clientFor(provider);
    await signInWith(provider, client);
    const info = await client.fetchUserInfo();
    assert.equal(info.sub, 'user_1');
    assert.deepEqual(info.custom_data, { plan: 'pro' });
  });

  it('rejects a userinfo response about another user (rp-userinfo-bad-sub-claim)', async () => {
    const { client } = clientFor(provider);
    await signInWith(provider, client);
    provider.userInfoHook = (body) => {
      body.sub = 'someone-else';
    };
    try {
      await assert.rejects(
        client.fetchUserInfo(),
        (error) => error instanceof UserInfoError && error.reason === 'subject_mismatch',
      );
    } finally {
      provider.userInfoHook = undefined;
    }
  });

  it('gets a fresh token once when the cached one is refused', async () => {
    const { client, storage } = clientFor(provider);
    await signInWith(provider, client);
    const map = JSON.parse(storage.get('accessTokenMap')!) as Record<string, { token: string }>;
    map['']!.token = 'revoked-token';
    storage.set('accessTokenMap', JSON.stringify(map));
    provider.resetCounts();
    assert.equal((await client.fetchUserInfo()).sub, 'user_1');
    assert.equal(provider.counts.userinfo, 2);
    assert.equal(provider.counts.token, 1);
  });

  it('needs a signed-in user', async () => {
    const { client } = clientFor(provider);
    await assert.rejects(client.fetchUserInfo(), NotAuthenticatedError);
  });
});
