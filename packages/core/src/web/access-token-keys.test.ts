/**
 * The provider's keys as a resource server sees them, against the real dev server: unknown key
 * ids cost at most one JWKS request per cooldown (shared with the sign-in client), and a key the
 * provider removes is refused within the stated window — also when the JWKS cannot be fetched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DevServer, demo, generateSigningKey, startDevServer } from '@logto-kit/dev-server';
import { userTokens } from '@logto-kit/testing/access-tokens';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import { resolveConfig } from '../config.js';
import { fetchProviderMetadata } from '../discovery.js';
import { IdTokenSignatureError } from '../errors.js';
import { verifyIdToken } from '../id-token.js';
import { AccessTokenGuard, type AccessTokenResult } from './access-token-guard.js';

const API = demo.resource;
const unknownKey =
  'Bearer realm="https://api.example.com", error="invalid_token", error_description="The access token is signed by a key the provider does not publish."';

/** `token`'s header and claims, signed by a key the provider never published, as `kid`. */
async function signedByStranger(token: string, kid: string): Promise<string> {
  const stranger = await generateSigningKey();
  return new SignJWT(decodeJwt(token))
    .setProtectedHeader({ ...decodeProtectedHeader(token), alg: stranger.alg, kid })
    .sign(await importJWK(stranger, stranger.alg));
}

function assertRefused(result: AccessTokenResult, status: number, challenge?: string): void {
  assert.ok('response' in result, 'expected a refusal');
  assert.equal(result.response.status, status);
  if (challenge) assert.equal(result.response.headers['www-authenticate'], challenge);
}

describe('requireAccessToken: unknown key ids', () => {
  let idp: DevServer;
  let token: string;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true });
    token = (await userTokens(idp)).api;
  });
  after(() => idp?.close());

  it('makes one JWKS request for 40 unknown kids at once, and none for 40 more in sequence', async () => {
    const guard = new AccessTokenGuard({ endpoint: idp.endpoint, resource: API });
    assert.ok('auth' in (await guard.check({ authorization: `Bearer ${token}` }))); // warm
    const forged = await Promise.all(
      Array.from({ length: 80 }, (_, i) => signedByStranger(token, `unknown-${i}`)),
    );
    idp.resetCounts();
    const atOnce = await Promise.all(
      forged.slice(0, 40).map((jwt) => guard.check({ authorization: `Bearer ${jwt}` })),
    );
    for (const result of atOnce) assertRefused(result, 401, unknownKey);
    assert.equal(idp.requestCount('jwks'), 1, '40 unknown kids at once');
    // Another guard of the process (another API, another route): the same key set, the same bound.
    const other = new AccessTokenGuard({ endpoint: idp.endpoint, resource: API, scopes: ['read'] });
    for (const [i, jwt] of forged.slice(40).entries()) {
      const guardOfTheRequest = i % 2 === 0 ? guard : other;
      assertRefused(
        await guardOfTheRequest.check({ authorization: `Bearer ${jwt}` }),
        401,
        unknownKey,
      );
    }
    assert.equal(idp.requestCount('jwks'), 1, '40 more in sequence');
    // The real token still verifies, without a request.
    assert.ok('auth' in (await other.check({ authorization: `Bearer ${token}` })));
    assert.equal(idp.requestCount('jwks'), 1);
  });

  it('shares the bound with the sign-in client’s ID token checks', async () => {
    // Within the cooldown the resource server started: the client's unknown kids fetch nothing.
    const config = resolveConfig({ endpoint: idp.endpoint, appId: demo.appId, logger: false });
    const metadata = await fetchProviderMetadata(config);
    idp.resetCounts();
    for (let i = 0; i < 20; i += 1) {
      const idToken = await signedByStranger(token, `unknown-id-token-${i}`);
      await assert.rejects(
        verifyIdToken(idToken, config, metadata),
        (error: unknown) =>
          error instanceof IdTokenSignatureError && error.reason === 'unknown_key',
      );
    }
    assert.equal(idp.requestCount('jwks'), 0);
  });
});

describe('requireAccessToken: a signing key the provider removes', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true });
  });
  after(() => idp?.close());

  it('is refused within jwksMaxAge / 2 while the provider answers (jwksMaxAge: 2 s here)', async () => {
    // The keys are fetched again after min(10 min, jwksMaxAge / 2): 1 s here.
    const guard = new AccessTokenGuard({ endpoint: idp.endpoint, resource: API, jwksMaxAge: 2 });
    const started = Date.now(); // the key set is fetched after this (by the sign-in)
    const oldToken = (await userTokens(idp)).api;
    const oldKid = decodeProtectedHeader(oldToken).kid!;
    assert.ok('auth' in (await guard.check({ authorization: `Bearer ${oldToken}` })));
    const verified = Date.now(); // … and before this
    await idp.rotateSigningKey();
    idp.removeSigningKey(oldKid);
    idp.resetCounts();
    if (Date.now() < started + 1_000) {
      // Inside the window: still trusted (what the window means), with no request.
      assert.ok('auth' in (await guard.check({ authorization: `Bearer ${oldToken}` })));
      assert.equal(idp.requestCount('jwks'), 0);
    }
    await sleep(verified + 1_000 + 50 - Date.now());
    assertRefused(await guard.check({ authorization: `Bearer ${oldToken}` }), 401, unknownKey);
    assert.equal(idp.requestCount('jwks'), 1, 'one fetch of the keys noticed the removal');
    // The key that signs now is accepted, from the keys just fetched.
    const newToken = (await userTokens(idp)).api;
    assert.notEqual(decodeProtectedHeader(newToken).kid, oldKid);
    assert.ok('auth' in (await guard.check({ authorization: `Bearer ${newToken}` })));
    assert.equal(idp.requestCount('jwks'), 1);
  });
});

describe('requireAccessToken: keys that cannot be fetched again', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true });
  });
  after(() => idp?.close());

  it('is refused once the keys in hand are jwksMaxAge old when the JWKS cannot be fetched: 503', async () => {
    let jwksDown = false;
    const guard = new AccessTokenGuard({
      endpoint: idp.endpoint,
      resource: API,
      jwksMaxAge: 2,
      logger: false,
      // Only this guard's requests go through it; the sign-in below uses the global fetch.
      fetch: (input, init) =>
        jwksDown && String(input instanceof Request ? input.url : input).endsWith('/jwks')
          ? Promise.reject(new TypeError('fetch failed'))
          : fetch(input, init),
    });
    const started = Date.now();
    const token = (await userTokens(idp)).api;
    assert.ok('auth' in (await guard.check({ authorization: `Bearer ${token}` })));
    const verified = Date.now();
    jwksDown = true;
    await sleep(verified + 1_000 + 50 - Date.now());
    if (Date.now() < started + 2_000) {
      // Due for a fetch that fails: the keys in hand serve until they are 2 s old.
      assert.ok('auth' in (await guard.check({ authorization: `Bearer ${token}` })));
    }
    await sleep(verified + 2_000 + 50 - Date.now());
    const result = await guard.check({ authorization: `Bearer ${token}` });
    assertRefused(result, 503);
    assert.ok('response' in result);
    assert.equal(result.response.headers['www-authenticate'], undefined);
    assert.equal(JSON.parse(result.response.body).error, 'provider.unavailable');
  });
});
