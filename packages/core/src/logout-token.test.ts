import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from './config.js';
import { LogoutTokenError } from './errors.js';
import {
  BACKCHANNEL_LOGOUT_EVENT,
  checkLogoutTokenClaims,
  verifyLogoutToken,
} from './logout-token.js';

const config = resolveConfig({ endpoint: 'https://tenant.logto.app', appId: 'app' });
const now = 1_700_000_000;
const valid = {
  iss: 'https://tenant.logto.app/oidc',
  aud: 'app',
  iat: now,
  jti: 'jti-1',
  sid: 'sid-1',
  sub: 'user-1',
  events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
};

function refusal(claim: string) {
  return (error: unknown) =>
    error instanceof LogoutTokenError && error.reason === 'claim' && error.claim === claim;
}

describe('checkLogoutTokenClaims', () => {
  it('accepts a logout token with sid, with sub, or with both', () => {
    assert.equal(checkLogoutTokenClaims(valid, config, now).sid, 'sid-1');
    const { sid: _sid, ...subOnly } = valid;
    assert.equal(checkLogoutTokenClaims(subOnly, config, now).sub, 'user-1');
    const { sub: _sub, ...sidOnly } = valid;
    assert.equal(checkLogoutTokenClaims(sidOnly, config, now).sub, undefined);
  });

  it('refuses a token with neither sid nor sub, or an empty one', () => {
    const { sid: _sid, sub: _sub, ...neither } = valid;
    assert.throws(() => checkLogoutTokenClaims(neither, config, now), refusal('sid'));
    assert.throws(() => checkLogoutTokenClaims({ ...valid, sid: '' }, config, now), refusal('sid'));
  });

  it('refuses a token without the back-channel logout event (an ID token, say)', () => {
    for (const events of [undefined, {}, { [BACKCHANNEL_LOGOUT_EVENT]: 'yes' }, []]) {
      assert.throws(
        () => checkLogoutTokenClaims({ ...valid, events }, config, now),
        refusal('events'),
      );
    }
  });

  it('refuses a token with a nonce', () => {
    assert.throws(
      () => checkLogoutTokenClaims({ ...valid, nonce: 'n' }, config, now),
      refusal('nonce'),
    );
  });

  it('refuses a token without jti, or issued in the future beyond the clock tolerance', () => {
    const { jti: _jti, ...noJti } = valid;
    assert.throws(() => checkLogoutTokenClaims(noJti, config, now), refusal('jti'));
    assert.throws(
      () => checkLogoutTokenClaims({ ...valid, iat: now + config.clockTolerance + 1 }, config, now),
      refusal('iat'),
    );
  });
});

describe('verifyLogoutToken', () => {
  const metadata = { jwks_uri: 'https://tenant.logto.app/oidc/jwks' } as never;

  it('refuses a missing, empty, oversize or unsigned token before any network call', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
    for (const token of [undefined, '', 'x'.repeat(20_000), 'not-a-jwt']) {
      await assert.rejects(
        verifyLogoutToken(token, config, metadata),
        (error: unknown) => error instanceof LogoutTokenError && error.reason === 'malformed',
      );
    }
    await assert.rejects(
      verifyLogoutToken(unsigned, config, metadata),
      (error: unknown) => error instanceof LogoutTokenError && error.reason === 'signature',
    );
  });
});
