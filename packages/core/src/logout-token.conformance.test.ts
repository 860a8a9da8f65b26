// The OpenID Foundation's back-channel logout RP cases (rp-backchannel-rpinitlogout-lt-*),
// against logout tokens really signed with a provider key served as a JWKS.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { resolveConfig } from './config.js';
import type { ProviderMetadata } from './discovery.js';
import { LogoutTokenError } from './errors.js';
import { BACKCHANNEL_LOGOUT_EVENT, verifyLogoutToken } from './logout-token.js';

// A host of its own: the JWKS cache is shared per endpoint within the process.
const endpoint = 'https://backchannel-conformance.logto.app';
const issuer = `${endpoint}/oidc`;
const metadata = { jwks_uri: `${issuer}/jwks` } as ProviderMetadata;

describe('back-channel logout token (OIDF RP cases)', () => {
  let sign: (
    claims: JWTPayload,
    options?: { alg?: string; key?: CryptoKey | Uint8Array },
  ) => Promise<string>;
  let config: ReturnType<typeof resolveConfig>;
  let otherKey: CryptoKey;

  before(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES384');
    otherKey = (await generateKeyPair('ES384')).privateKey;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'ES384', use: 'sig' };
    config = resolveConfig({
      endpoint,
      appId: 'app',
      fetch: async () => Response.json({ keys: [jwk] }),
    });
    sign = (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg ?? 'ES384', kid: 'key-1', typ: 'logout+jwt' })
        .sign(options.key ?? privateKey);
  });

  const claims = (overrides: JWTPayload = {}): JWTPayload => ({
    iss: issuer,
    aud: 'app',
    iat: Math.floor(Date.now() / 1000),
    jti: crypto.randomUUID(),
    sid: 'sid-1',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...overrides,
  });

  const refused = async (token: string, reason: LogoutTokenError['reason'], claim?: string) =>
    assert.rejects(
      verifyLogoutToken(token, config, metadata),
      (error: unknown) =>
        error instanceof LogoutTokenError &&
        error.reason === reason &&
        (claim === undefined || error.claim === claim),
    );

  it('rp-backchannel-rpinitlogout: accepts a valid logout token', async () => {
    const verified = await verifyLogoutToken(await sign(claims()), config, metadata);
    assert.equal(verified.sid, 'sid-1');
  });

  it('rp-backchannel-rpinitlogout-lt-wrong-issuer', async () => {
    await refused(await sign(claims({ iss: 'https://evil.example/oidc' })), 'claim', 'iss');
  });

  it('rp-backchannel-rpinitlogout-lt-wrong-aud', async () => {
    await refused(await sign(claims({ aud: 'another-app' })), 'claim', 'aud');
  });

  it('rp-backchannel-rpinitlogout-lt-wrong-alg: a symmetric signature is refused', async () => {
    await refused(await sign(claims(), { alg: 'HS256', key: new Uint8Array(32) }), 'signature');
  });

  it('rp-backchannel-rpinitlogout-lt-bad-signature: signed by a key the provider does not publish', async () => {
    await refused(await sign(claims(), { key: otherKey }), 'signature');
  });

  it('rp-backchannel-rpinitlogout-lt-no-event and -lt-wrong-event', async () => {
    const { events: _events, ...noEvent } = claims();
    await refused(await sign(noEvent), 'claim', 'events');
    await refused(
      await sign(claims({ events: { 'http://example.com/other': {} } })),
      'claim',
      'events',
    );
  });

  it('rp-backchannel-rpinitlogout-lt-with-nonce', async () => {
    await refused(await sign(claims({ nonce: 'n' })), 'claim', 'nonce');
  });
});
