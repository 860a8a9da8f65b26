/**
 * The resource-server guard against tokens the real dev server signs, then altered and signed
 * again with the provider's own key (seeded, so the test holds it): every hostile case gets its
 * exact status and `WWW-Authenticate`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  completeSignIn,
  type DevServer,
  defaultSeed,
  demo,
  generateSigningKey,
  type SigningJwk,
  startDevServer,
} from '@logto-kit/dev-server';
import { closedPort } from '@logto-kit/testing/test-provider';
import {
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { LogtoClient } from '../client.js';
import { UserInfoScope } from '../scopes.js';
import { MemoryStorage } from '../storage.js';
import { AccessTokenGuard, type AccessTokenResult } from './access-token-guard.js';

const API = demo.resource;
const realm = `Bearer realm="${API}"`;
const challenge = (description: string): string =>
  `${realm}, error="invalid_token", error_description="${description}"`;

let idp: DevServer;
let providerKey: SigningJwk;
let userToken: string;
let opaqueToken: string;
let orgApiToken: string;
let orgToken: string;

async function signedInClient(): Promise<LogtoClient> {
  const client = new LogtoClient(
    {
      endpoint: idp.endpoint,
      appId: demo.appId,
      appSecret: demo.appSecret,
      scopes: [UserInfoScope.Organizations, 'read', 'read:projects'],
      resources: [API],
    },
    { storage: new MemoryStorage() },
  );
  const url = await client.signIn({ redirectUri: 'http://localhost:3000/callback' });
  await client.handleSignInCallback(
    await completeSignIn(url, { username: demo.username, password: demo.password }),
  );
  return client;
}

/** The real token's claims with `changes`, signed by the provider's key (or `key`). */
async function resign(
  token: string,
  changes: JWTPayload,
  header: Record<string, unknown> = {},
  key: SigningJwk = providerKey,
): Promise<string> {
  const payload = { ...decodeJwt(token), ...changes };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete payload[name];
  }
  return new SignJWT(payload)
    .setProtectedHeader({ ...decodeProtectedHeader(token), ...header, alg: key.alg, kid: key.kid })
    .sign(await importJWK(key, key.alg));
}

function guardFor(options: Partial<ConstructorParameters<typeof AccessTokenGuard>[0]> = {}) {
  return new AccessTokenGuard({ endpoint: idp.endpoint, resource: API, ...options });
}

function refused(result: AccessTokenResult, status: number, wwwAuthenticate: string): void {
  assert.ok('response' in result, 'expected a refusal');
  assert.equal(result.response.status, status);
  assert.equal(result.response.headers['www-authenticate'], wwwAuthenticate);
  assert.equal(result.response.headers['cache-control'], 'no-store');
}

before(async () => {
  providerKey = await generateSigningKey();
  idp = await startDevServer({
    port: 0,
    quiet: true,
    seed: { ...defaultSeed(), signingKeys: [{ ...providerKey, kty: 'EC', d: providerKey.d! }] },
  });
  const client = await signedInClient();
  userToken = await client.getAccessToken(API);
  opaqueToken = await client.getAccessToken();
  orgApiToken = await client.getAccessToken(API, { organizationId: demo.organizationId });
  orgToken = await client.getOrganizationToken(demo.organizationId);
});
after(() => idp?.close());

describe('requireAccessToken: a real token', () => {
  it('is accepted with its subject, client, scopes and organization', async () => {
    const result = await guardFor({ scopes: ['read'] }).check({
      authorization: `Bearer ${userToken}`,
    });
    assert.ok('auth' in result);
    assert.equal(result.auth.subject, 'demo-user-01');
    assert.equal(result.auth.clientId, demo.appId);
    assert.deepEqual(result.auth.scopes, ['read']);
    assert.equal(result.auth.organizationId, undefined);
    assert.equal(result.auth.audience, API);
    assert.equal(result.auth.isMachine, false);
  });

  it('is verified once: a repeat needs no network and returns the same result', async () => {
    const guard = guardFor();
    const first = await guard.check({ authorization: `Bearer ${userToken}` });
    idp.resetCounts();
    const second = await guard.check({ authorization: `Bearer ${userToken}` });
    assert.ok('auth' in first && 'auth' in second);
    assert.equal(second.auth, first.auth);
    assert.equal(idp.requestCount('jwks') + idp.requestCount('discovery'), 0);
  });

  it('accepts the scheme in lower case and several spaces before the token', async () => {
    for (const authorization of [`bearer ${userToken}`, `BEARER   ${userToken}`]) {
      assert.ok('auth' in (await guardFor().check({ authorization })), authorization);
    }
  });

  it('is an organization-scoped API token for its organization only', async () => {
    const acme = await guardFor({ organization: demo.organizationId }).check({
      authorization: `Bearer ${orgApiToken}`,
    });
    assert.ok('auth' in acme);
    assert.equal(acme.auth.organizationId, demo.organizationId);
    const globex = await guardFor({ organization: 'globex' }).check({
      authorization: `Bearer ${orgApiToken}`,
    });
    refused(
      globex,
      403,
      `${realm}, error="insufficient_scope", error_description="The access token is for another organization."`,
    );
    // A plain API token names no organization: not for an organization's route either.
    const plain = await guardFor({ organization: demo.organizationId }).check({
      authorization: `Bearer ${userToken}`,
    });
    assert.ok('response' in plain && plain.response.status === 403);
  });

  it('is an organization token for its organization (aud urn:logto:organization:<id>)', async () => {
    const byId = (native: { org: string }) => native.org;
    const guard = new AccessTokenGuard<{ org: string }>({
      endpoint: idp.endpoint,
      organization: byId,
    });
    const acme = await guard.check({
      authorization: `Bearer ${orgToken}`,
      native: { org: 'acme' },
    });
    assert.ok('auth' in acme);
    assert.equal(acme.auth.organizationId, 'acme');
    const other = await guard.check({
      authorization: `Bearer ${orgToken}`,
      native: { org: 'globex' },
    });
    refused(
      other,
      401,
      'Bearer realm="api", error="invalid_token", error_description="The access token is not for this API."',
    );
    // A route whose request names no organization: 400, whatever the token.
    const unnamed = new AccessTokenGuard<{ org?: string }>({
      endpoint: idp.endpoint,
      resource: API,
      organization: (native) => native.org,
    });
    refused(
      await unnamed.check({ authorization: `Bearer ${orgApiToken}`, native: {} }),
      400,
      `${realm}, error="invalid_request", error_description="The request does not name an organization."`,
    );
  });
});

describe('requireAccessToken: hostile tokens', () => {
  const cases: [string, () => Promise<string>, string][] = [
    [
      'another API (aud)',
      () => resign(userToken, { aud: 'https://other.example.com' }),
      'The access token is not for this API.',
    ],
    [
      'another issuer',
      () => resign(userToken, { iss: 'https://evil.example.com/oidc' }),
      'The access token is from another issuer.',
    ],
    [
      'expired',
      () => resign(userToken, { exp: Math.floor(Date.now() / 1000) - 60 }),
      'The access token has expired.',
    ],
    [
      'not valid yet (nbf)',
      () => resign(userToken, { nbf: Math.floor(Date.now() / 1000) + 600 }),
      'The access token is not valid yet.',
    ],
    [
      'issued in the future',
      () => resign(userToken, { iat: Math.floor(Date.now() / 1000) + 600 }),
      'The access token is issued in the future.',
    ],
    [
      'without client_id',
      () => resign(userToken, { client_id: undefined }),
      'The access token lacks a required claim.',
    ],
    [
      'an ID token (typ JWT)',
      () => resign(userToken, {}, { typ: 'JWT' }),
      'The token is not an access token (typ at+jwt).',
    ],
    [
      'alg none',
      async () =>
        new UnsecuredJWT(decodeJwt(userToken))
          .encode()
          .replace(
            /^[^.]+/,
            Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url'),
          ),
      'The access token is not signed with an allowed algorithm.',
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const publicJwk = JSON.stringify(idp.publicKeys.keys[0]);
        return new SignJWT(decodeJwt(userToken))
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: providerKey.kid })
          .sign(new TextEncoder().encode(publicJwk));
      },
      'The access token is not signed with an allowed algorithm.',
    ],
    [
      'a tampered payload',
      async () => {
        const [h, , s] = userToken.split('.');
        const payload = Buffer.from(
          JSON.stringify({ ...decodeJwt(userToken), scope: 'read write' }),
        ).toString('base64url');
        return `${h}.${payload}.${s}`;
      },
      'The access token signature is invalid.',
    ],
    [
      'an opaque token',
      async () => opaqueToken,
      'The access token is opaque: ask Logto for a token for this API (a resource indicator) to get a JWT.',
    ],
    ['not a JWT', async () => 'a.b', 'The access token is not a JWT.'],
    ['a 16 KB token', async () => 'a'.repeat(16_384), 'The access token is too long.'],
  ];
  for (const [name, make, description] of cases) {
    it(`refuses ${name}: 401 invalid_token`, async () => {
      const result = await guardFor().check({ authorization: `Bearer ${await make()}` });
      refused(result, 401, challenge(description));
      assert.ok('response' in result);
      assert.deepEqual(JSON.parse(result.response.body), {
        error: 'invalid_token',
        error_description: description,
      });
    });
  }

  it('refuses a token without the scope: 403 insufficient_scope naming it', async () => {
    const result = await guardFor({ scopes: ['read', 'write'] }).check({
      authorization: `Bearer ${userToken}`,
    });
    refused(
      result,
      403,
      `${realm}, error="insufficient_scope", error_description="The access token does not grant the scope this API needs.", scope="read write"`,
    );
    const any = await guardFor({ scopes: ['write', 'read'], anyScope: true }).check({
      authorization: `Bearer ${userToken}`,
    });
    assert.ok('auth' in any);
  });

  it('answers no Bearer credentials with a bare challenge, and a malformed Bearer header with 400', async () => {
    // RFC 6750 §3.1: no credentials, or credentials of another scheme: 401, no error code.
    for (const authorization of [
      undefined,
      '',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      `DPoP ${userToken}`,
      `Token ${userToken}`,
      `Bearer${userToken}`,
    ]) {
      const result = await guardFor().check({ authorization });
      refused(result, 401, realm);
      assert.ok('response' in result);
      assert.deepEqual(JSON.parse(result.response.body), {
        error: 'unauthorized',
        error_description: 'This API needs a bearer access token.',
      });
    }
    const malformed = `${realm}, error="invalid_request", error_description="The Authorization header must be one Bearer token."`;
    for (const authorization of [
      `Bearer Bearer ${userToken}`,
      `Bearer ${userToken}, Bearer ${userToken}`,
      `Bearer\t${userToken}`,
      'Bearer',
      `Bearer "${userToken}"`,
    ]) {
      refused(await guardFor().check({ authorization }), 400, malformed);
    }
  });
});

describe('requireAccessToken: the provider', () => {
  it('answers 503, not 401, when the provider cannot be reached', async () => {
    const guard = new AccessTokenGuard({
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      resource: API,
      logger: false,
    });
    const result = await guard.check({ authorization: `Bearer ${userToken}` });
    assert.ok('response' in result);
    assert.equal(result.response.status, 503);
    assert.equal(result.response.headers['www-authenticate'], undefined);
    assert.equal(JSON.parse(result.response.body).error, 'provider.unavailable');
    assert.ok(!result.response.body.includes(userToken.slice(0, 20)));
  });

  it('takes a rotated key at once, with one JWKS fetch shared with the client', async () => {
    const guard = guardFor();
    assert.ok('auth' in (await guard.check({ authorization: `Bearer ${userToken}` })));
    await idp.rotateSigningKey();
    idp.resetCounts();
    // The client verifies its new ID token (new kid): it refetches the keys, for everyone.
    const rotated = await (await signedInClient()).getAccessToken(API);
    assert.notEqual(decodeProtectedHeader(rotated).kid, providerKey.kid);
    assert.ok('auth' in (await guard.check({ authorization: `Bearer ${rotated}` })));
    assert.equal(idp.requestCount('jwks'), 1);
    // The old key is still published: a token it signed verifies again after the rotation.
    assert.ok('auth' in (await guard.check({ authorization: `Bearer ${userToken}` })));
    assert.equal(idp.requestCount('jwks'), 1);
  });
  // Unknown key ids, and a key the provider removes: `access-token-keys.test.ts`.
});

describe('requireAccessToken: options', () => {
  it('names every problem at construction', () => {
    assert.throws(
      () =>
        new AccessTokenGuard({
          endpoint: 'nope',
          scopes: ['a b'],
          clockTolerance: -1,
          jwksMaxAge: 0,
        }),
      (error: unknown) =>
        error instanceof TypeError &&
        /endpoint/.test(error.message) &&
        /resource or organization/.test(error.message) &&
        /scopes/.test(error.message) &&
        /clockTolerance/.test(error.message) &&
        /jwksMaxAge: must be whole seconds from 1 to 86400/.test(error.message),
    );
    for (const jwksMaxAge of [1.5, 86_401, Number.NaN]) {
      assert.throws(
        () =>
          new AccessTokenGuard({ endpoint: 'https://tenant.logto.app', resource: API, jwksMaxAge }),
        /jwksMaxAge/,
      );
    }
    for (const jwksMaxAge of [1, 600, 86_400]) {
      assert.ok(
        new AccessTokenGuard({ endpoint: 'https://tenant.logto.app', resource: API, jwksMaxAge }),
      );
    }
  });
});
