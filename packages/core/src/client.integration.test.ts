/**
 * LogtoClient against the real local identity provider (`@logto-kit/dev-server`, oidc-provider
 * configured like Logto): every method and every claim path, no protocol mocks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  completeSignIn,
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
import { LogtoClient } from './client.js';
import type { LogtoClientConfig } from './config.js';
import {
  AccessDeniedError,
  AuthorizationError,
  InvalidGrantError,
  NotAuthenticatedError,
  OpaqueAccessTokenError,
  OrganizationsScopeRequiredError,
} from './errors.js';
import { ReservedResource, UserInfoScope } from './scopes.js';
import { MemoryStorage } from './storage.js';
import { readAccessTokenMap } from './tokens.js';

const REDIRECT_URI = 'http://localhost:3000/callback';
const POST_LOGOUT_URI = 'http://localhost:3000/';
const credentials = { username: demo.username, password: demo.password };

function configFor(idp: DevServer, overrides: Partial<LogtoClientConfig> = {}): LogtoClientConfig {
  return {
    endpoint: idp.endpoint,
    appId: demo.appId,
    appSecret: demo.appSecret,
    scopes: [
      UserInfoScope.Email,
      UserInfoScope.Organizations,
      UserInfoScope.OrganizationRoles,
      UserInfoScope.CustomData,
      UserInfoScope.Roles,
      'read',
      'read:projects',
    ],
    resources: [demo.resource],
    ...overrides,
  };
}

async function signedInClient(
  idp: DevServer,
  overrides: Partial<LogtoClientConfig> = {},
): Promise<{ client: LogtoClient; storage: MemoryStorage }> {
  const storage = new MemoryStorage();
  const client = new LogtoClient(configFor(idp, overrides), { storage });
  const url = await client.signIn({ redirectUri: REDIRECT_URI });
  await client.handleSignInCallback(await completeSignIn(url, credentials));
  return { client, storage };
}

function expireAccessTokens(storage: MemoryStorage): void {
  const map = readAccessTokenMap(storage.get('accessTokenMap'));
  for (const entry of Object.values(map)) entry.expiresAt = 0;
  storage.set('accessTokenMap', JSON.stringify(map));
}

function totalRequests(idp: DevServer): number {
  const routes = [
    'discovery',
    'jwks',
    'authorization',
    'token',
    'userinfo',
    'revocation',
    'end_session',
  ] as const;
  return routes.reduce((sum, route) => sum + idp.requestCount(route), 0);
}

describe('LogtoClient with the local Logto-compatible provider', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true, seed: defaultSeed() });
  });
  after(async () => {
    await idp.close();
  });

  it('signs in and reads the verified ID token claims of the requested scopes', async () => {
    const { client } = await signedInClient(idp);
    assert.equal(await client.isAuthenticated(), true);
    assert.match((await client.getIdToken()) ?? '', /^ey/);
    assert.ok(await client.getRefreshToken());
    const claims = await client.getIdTokenClaims();
    assert.equal(claims.sub, 'demo-user-01');
    assert.equal(claims.iss, idp.issuer);
    assert.equal(claims.aud, demo.appId);
    assert.equal(claims.name, 'Demo User');
    assert.equal(claims.username, 'demo');
    assert.equal(claims.email, 'demo@example.com');
    assert.equal(claims.email_verified, true);
    assert.equal(claims.picture, null); // requested (profile) but empty
    assert.equal('phone_number' in claims, false); // phone not requested
    assert.deepEqual(claims.organizations, ['acme']);
    assert.deepEqual(claims.organization_roles, ['acme:member']);
    assert.deepEqual(claims.roles, ['reader']);
    assert.equal(typeof claims.created_at, 'number');
    assert.equal('custom_data' in claims, false); // userinfo only
  });

  it('fetches userinfo with the claims the ID token does not carry', async () => {
    const { client } = await signedInClient(idp);
    const userInfo = await client.fetchUserInfo();
    assert.equal(userInfo.sub, 'demo-user-01');
    assert.deepEqual(userInfo.custom_data, { plan: 'pro' });
    assert.deepEqual(
      userInfo.organization_data?.map((organization) => organization.id),
      ['acme'],
    );
  });

  it('keeps the default access token opaque and refuses its claims', async () => {
    const { client } = await signedInClient(idp);
    assert.equal((await client.getAccessToken()).includes('.'), false);
    await assert.rejects(client.getAccessTokenClaims(), OpaqueAccessTokenError);
  });

  it('gets an API resource token with the granted scopes only', async () => {
    const { client } = await signedInClient(idp, {
      scopes: [UserInfoScope.Organizations, 'read', 'write'],
    });
    const claims = await client.getAccessTokenClaims(demo.resource);
    assert.equal(claims.aud, demo.resource);
    assert.equal(claims.sub, 'demo-user-01');
    assert.equal(claims.scope, 'read'); // the user's role grants read, not write
    assert.equal(claims.client_id, demo.appId);
  });

  it('gets organization tokens for member organizations and refuses the others', async () => {
    const { client } = await signedInClient(idp);
    const claims = await client.getOrganizationTokenClaims(demo.organizationId);
    assert.equal(claims.aud, 'urn:logto:organization:acme');
    assert.equal(claims.scope, 'read:projects');
    assert.match(await client.getOrganizationToken(demo.organizationId), /^ey/);
    await assert.rejects(
      client.getOrganizationToken('globex'),
      (error) =>
        error instanceof AccessDeniedError &&
        error.code === 'oauth.access_denied' &&
        error.status === 403,
    );
  });

  it('gets an organization-scoped API token', async () => {
    const { client } = await signedInClient(idp);
    const claims = await client.getAccessTokenClaims(demo.resource, {
      organizationId: demo.organizationId,
    });
    assert.equal(claims.aud, demo.resource);
    assert.equal(claims.organization_id, demo.organizationId);
  });

  it('adds the organizations resource for the scope given as a plain string', async () => {
    const client = new LogtoClient(configFor(idp, { scopes: ['urn:logto:scope:organizations'] }), {
      storage: new MemoryStorage(),
    });
    assert.ok(client.config.resources.includes(ReservedResource.Organization));
  });

  it('needs the organizations scope for organization tokens', async () => {
    const { client } = await signedInClient(idp, { scopes: [UserInfoScope.Email] });
    await assert.rejects(
      client.getOrganizationToken(demo.organizationId),
      OrganizationsScopeRequiredError,
    );
  });

  it('reports a sign-in for an unknown resource as the provider error', async () => {
    const client = new LogtoClient(configFor(idp, { resources: ['https://unknown.example.com'] }), {
      storage: new MemoryStorage(),
    });
    const url = await client.signIn({ redirectUri: REDIRECT_URI });
    const callback = await fetch(url, { redirect: 'manual' });
    const location = callback.headers.get('location') ?? '';
    await assert.rejects(
      client.handleSignInCallback(new URL(location, idp.endpoint).href),
      (error) => error instanceof AuthorizationError && error.error === 'invalid_target',
    );
  });

  it('serves cached tokens and claims with no request to the provider', async () => {
    const { client } = await signedInClient(idp);
    await client.getAccessToken(demo.resource);
    idp.resetCounts();
    await client.getAccessToken();
    await client.getAccessToken(demo.resource);
    await client.getIdTokenClaims();
    await client.isAuthenticated();
    assert.equal(totalRequests(idp), 0);
  });

  it('shares one discovery request among many new clients', async () => {
    const fresh = await startDevServer({ port: 0, quiet: true, seed: defaultSeed() });
    try {
      const clients = Array.from(
        { length: 20 },
        () => new LogtoClient(configFor(fresh), { storage: new MemoryStorage() }),
      );
      await Promise.all(clients.map((client) => client.signIn({ redirectUri: REDIRECT_URI })));
      assert.equal(fresh.requestCount('discovery'), 1);
    } finally {
      await fresh.close();
    }
  });

  it('signs out: forgets the tokens, revokes the refresh token, returns the end-session URL', async () => {
    const browser = new HeadlessUser(credentials);
    const storage = new MemoryStorage();
    const client = new LogtoClient(configFor(idp), { storage });
    await client.handleSignInCallback(
      await browser.signIn(await client.signIn({ redirectUri: REDIRECT_URI })),
    );
    const copy = new MemoryStorage(storage.snapshot());
    const idToken = await client.getIdToken();
    idp.resetCounts();
    const url = new URL(await client.signOut(POST_LOGOUT_URI));
    assert.equal(url.origin + url.pathname, `${idp.issuer}/session/end`);
    assert.equal(url.searchParams.get('client_id'), demo.appId);
    assert.equal(url.searchParams.get('id_token_hint'), idToken);
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), POST_LOGOUT_URI);
    assert.equal(idp.requestCount('revocation'), 1);
    assert.equal(await client.isAuthenticated(), false);
    assert.equal(await client.getRefreshToken(), undefined);
    await assert.rejects(client.getAccessToken(), NotAuthenticatedError);
    assert.equal(await browser.signOut(url.href), POST_LOGOUT_URI);
    // The revoked refresh token is dead for every copy of the session.
    expireAccessTokens(copy);
    const stale = new LogtoClient(configFor(idp), { storage: copy });
    await assert.rejects(stale.getAccessToken(), InvalidGrantError);
  });

  it('works as a public client (no secret, PKCE only)', async () => {
    const { client } = await signedInClient(idp, { appId: demo.publicAppId, appSecret: undefined });
    assert.equal((await client.getIdTokenClaims()).aud, demo.publicAppId);
    assert.match(await client.getAccessToken(demo.resource), /^ey/);
  });

  it('works with client_secret_post', async () => {
    const { client } = await signedInClient(idp, { clientAuthMethod: 'client_secret_post' });
    assert.match(await client.getOrganizationToken(demo.organizationId), /^ey/);
  });

  it('keeps the user signed in while a second sign-in starts (and two tabs both finish)', async () => {
    const { client } = await signedInClient(idp);
    const first = await client.signIn({ redirectUri: REDIRECT_URI });
    const second = await client.signIn({ redirectUri: REDIRECT_URI });
    assert.equal(await client.isAuthenticated(), true);
    const firstCallback = await completeSignIn(first, credentials);
    const secondCallback = await completeSignIn(second, credentials);
    await client.handleSignInCallback(secondCallback);
    await client.handleSignInCallback(firstCallback);
    assert.equal((await client.getIdTokenClaims()).sub, 'demo-user-01');
  });
});

describe('refreshing against strict rotation and seconds-long tokens', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({
      port: 0,
      quiet: true,
      seed: { ...defaultSeed(), refreshTokenRotation: 'strict', ttl: { accessToken: 2 } },
    });
  });
  after(async () => {
    await idp.close();
  });

  it('refreshes an expired token with the rotated refresh token and a same-user ID token', async () => {
    const { client, storage } = await signedInClient(idp);
    const firstRefreshToken = storage.get('refreshToken');
    const firstToken = await client.getAccessToken();
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const secondToken = await client.getAccessToken();
    assert.notEqual(secondToken, firstToken);
    assert.notEqual(storage.get('refreshToken'), firstRefreshToken);
    assert.equal((await client.getIdTokenClaims()).sub, 'demo-user-01');
    assert.equal((await client.fetchUserInfo()).sub, 'demo-user-01');
  });

  it('makes one token request for 50 per-request clients holding copies of one session', async () => {
    const { storage } = await signedInClient(idp);
    expireAccessTokens(storage);
    const copies = Array.from({ length: 50 }, () => new MemoryStorage(storage.snapshot()));
    idp.resetCounts();
    const tokens = await Promise.all(
      copies.map((copy) => new LogtoClient(configFor(idp), { storage: copy }).getAccessToken()),
    );
    assert.equal(idp.requestCount('token'), 1);
    assert.equal(new Set(tokens).size, 1);
    // Strict rotation revokes the grant on any reuse: the session is still alive, so no reuse.
    const survivor = copies[0]!;
    expireAccessTokens(survivor);
    await new LogtoClient(configFor(idp), { storage: survivor }).getAccessToken(demo.resource);
  });

  it('chains API, organization and userinfo tokens through one rotating refresh token', async () => {
    const { client, storage } = await signedInClient(idp);
    expireAccessTokens(storage);
    idp.resetCounts();
    await Promise.all([
      client.getAccessToken(),
      client.getAccessToken(demo.resource),
      client.getOrganizationToken(demo.organizationId),
      client.getAccessToken(demo.resource, { organizationId: demo.organizationId }),
    ]);
    assert.equal(idp.requestCount('token'), 4);
    expireAccessTokens(storage);
    await client.getAccessToken(); // the newest refresh token still works: nothing was replayed
  });
});
