import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizationRequest,
  basicAuth,
  exchangeCode,
  redirectUri,
  tokenRequest,
  verify,
} from '@logto-kit/testing/oidc-requests';
import { completeSignIn, HeadlessUser } from './headless.js';
import { defaultSeed, demo } from './seed.js';
import { type DevServer, startDevServer } from './server.js';

const credentials = { username: demo.username, password: demo.password };
const allScopes =
  'openid offline_access profile email phone custom_data identities roles urn:logto:scope:organizations urn:logto:scope:organization_roles read write read:projects';

describe('dev server: discovery and keys', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true });
  });
  after(() => idp.close());

  it("serves discovery at Logto's paths with Logto's capabilities", async () => {
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const doc = (await response.json()) as Record<string, unknown>;
    assert.equal(doc.issuer, `${idp.endpoint}/oidc`);
    assert.equal(doc.authorization_endpoint, `${idp.issuer}/auth`);
    assert.equal(doc.token_endpoint, `${idp.issuer}/token`);
    assert.equal(doc.userinfo_endpoint, `${idp.issuer}/me`);
    assert.equal(doc.jwks_uri, `${idp.issuer}/jwks`);
    assert.equal(doc.end_session_endpoint, `${idp.issuer}/session/end`);
    assert.equal(doc.revocation_endpoint, `${idp.issuer}/token/revocation`);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['ES384']);
    assert.equal(doc.claims_parameter_supported, false);
    assert.equal(doc.backchannel_logout_supported, true);
    assert.equal(doc.authorization_response_iss_parameter_supported, true);
    assert.deepEqual(doc.scopes_supported, [
      'openid',
      'offline_access',
      'profile',
      'email',
      'phone',
      'address',
      'custom_data',
      'identities',
      'roles',
      'urn:logto:scope:organizations',
      'urn:logto:scope:organization_roles',
    ]);
    assert.ok(
      (doc.token_endpoint_auth_methods_supported as string[]).includes('client_secret_basic'),
    );
    assert.ok(
      (doc.token_endpoint_auth_methods_supported as string[]).includes('client_secret_post'),
    );
    assert.equal(doc.dpop_signing_alg_values_supported, undefined);
  });

  it('publishes one P-384 ES384 public key and no private part', async () => {
    const response = await fetch(`${idp.issuer}/jwks`);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    assert.equal(keys.length, 1);
    assert.equal(keys[0]?.kty, 'EC');
    assert.equal(keys[0]?.crv, 'P-384');
    assert.equal(keys[0]?.alg, 'ES384');
    assert.equal(keys[0]?.use, 'sig');
    assert.equal(keys[0]?.d, undefined);
    assert.equal(typeof keys[0]?.kid, 'string');
  });

  it('counts requests per endpoint', async () => {
    idp.resetCounts();
    await fetch(`${idp.issuer}/jwks`);
    await fetch(`${idp.issuer}/jwks`);
    assert.equal(idp.requestCount('jwks'), 2);
    assert.equal(idp.requestCount('token'), 0);
  });
});

describe('dev server: sign-in, tokens and claims', () => {
  let idp: DevServer;
  let tokens: Record<string, unknown>;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true });
    const request = authorizationRequest(idp, { scope: allScopes, resources: [demo.resource] });
    const callback = await completeSignIn(request.url, credentials);
    const url = new URL(callback);
    assert.equal(`${url.origin}${url.pathname}`, redirectUri);
    assert.equal(url.searchParams.get('state'), request.state);
    assert.equal(url.searchParams.get('iss'), idp.issuer);
    const exchanged = await exchangeCode(idp, callback, request.verifier);
    assert.equal(exchanged.status, 200);
    tokens = exchanged.body;
    const { payload } = await verify(idp, tokens.id_token);
    assert.equal(payload.nonce, request.nonce);
  });
  after(() => idp.close());

  it('issues an ES384 ID token with Logto claims and without the userinfo-only ones', async () => {
    const { payload, header } = await verify(idp, tokens.id_token);
    assert.equal(header.alg, 'ES384');
    assert.equal(payload.aud, demo.appId);
    assert.equal(payload.sub, 'demo-user-01');
    assert.equal(payload.username, 'demo');
    assert.equal(payload.name, 'Demo User');
    assert.equal(payload.picture, null);
    assert.equal(payload.email, 'demo@example.com');
    assert.equal(payload.email_verified, true);
    assert.equal(payload.phone_number, '14155550100');
    assert.deepEqual(payload.roles, ['reader']);
    assert.deepEqual(payload.organizations, ['acme']);
    assert.deepEqual(payload.organization_roles, ['acme:member']);
    // created_at / updated_at in milliseconds, as Logto sends them.
    assert.equal(payload.created_at, Date.UTC(2026, 0, 1));
    for (const claim of ['custom_data', 'identities', 'organization_data', 'sso_identities']) {
      assert.equal(claim in payload, false, `${claim} must not be in the ID token`);
    }
  });

  it('issues an opaque access token for userinfo and a refresh token', () => {
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(String(tokens.access_token).includes('.'), false);
    assert.equal(typeof tokens.refresh_token, 'string');
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.expires_in, 3600);
  });

  it('returns custom data, identities and organization data from /oidc/me', async () => {
    const response = await fetch(`${idp.issuer}/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(response.status, 200);
    const info = (await response.json()) as Record<string, unknown>;
    assert.equal(info.sub, 'demo-user-01');
    assert.deepEqual(info.custom_data, { plan: 'pro' });
    assert.deepEqual(info.identities, {});
    assert.deepEqual(info.sso_identities, []);
    assert.deepEqual(info.organization_data, [
      { id: 'acme', name: 'Acme', description: 'The demo organization' },
    ]);
  });

  it('issues a JWT for an API resource with the scopes the user’s roles grant', async () => {
    const { status, body } = await tokenRequest(idp, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      resource: demo.resource,
    });
    assert.equal(status, 200);
    const { payload, header } = await verify(idp, body.access_token);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'ES384');
    assert.equal(payload.aud, demo.resource);
    assert.equal(payload.scope, 'read'); // `write` was asked for, but no role grants it
    assert.equal(payload.client_id, demo.appId);
    assert.equal(body.scope, 'read');
  });

  it('answers invalid_target in Logto’s body shape for an unknown resource', async () => {
    const { status, body } = await tokenRequest(idp, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      resource: 'https://unknown.example.com',
    });
    assert.equal(status, 400);
    assert.deepEqual(body, {
      code: 'oidc.invalid_target',
      message: 'Invalid resource indicator.',
      error: 'invalid_target',
      error_description: 'resource indicator is missing, or unknown',
    });
  });

  it('issues an organization token to a member', async () => {
    const { status, body } = await tokenRequest(idp, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      organization_id: 'acme',
    });
    assert.equal(status, 200);
    const { payload } = await verify(idp, body.access_token);
    assert.equal(payload.aud, 'urn:logto:organization:acme');
    assert.equal(payload.scope, 'read:projects');
    assert.equal(payload.sub, 'demo-user-01');
    assert.equal(typeof body.id_token, 'string');
  });

  it('refuses an organization token to a non-member with 403 access_denied', async () => {
    const { status, body } = await tokenRequest(idp, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      organization_id: 'globex',
    });
    assert.equal(status, 403);
    assert.deepEqual(body, {
      code: 'oidc.access_denied',
      message: 'Access denied.',
      error: 'access_denied',
      error_description: 'user is not a member of the organization',
    });
  });

  it('adds organization_id to an API token requested with an organization', async () => {
    const { status, body } = await tokenRequest(idp, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      resource: demo.resource,
      organization_id: 'acme',
    });
    assert.equal(status, 200);
    const { payload } = await verify(idp, body.access_token);
    assert.equal(payload.aud, demo.resource);
    assert.equal(payload.organization_id, 'acme');
    assert.equal(payload.scope, ''); // no organization role grants API scopes in the default seed
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const { status, body } = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) },
      basicAuth(demo.appId, 'wrong-secret'),
    );
    assert.equal(status, 401);
    assert.equal(body.code, 'oidc.invalid_client');
    assert.equal(body.error, 'invalid_client');
  });

  it('accepts client_secret_post as well as client_secret_basic', async () => {
    const { status } = await tokenRequest(
      idp,
      {
        grant_type: 'refresh_token',
        refresh_token: String(tokens.refresh_token),
        client_id: demo.appId,
        client_secret: demo.appSecret,
      },
      null,
    );
    assert.equal(status, 200);
  });
});

describe('dev server: organization scope, codes and errors', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true });
  });
  after(() => idp.close());

  it('answers 403 insufficient_scope for an organization token without the organizations scope', async () => {
    const request = authorizationRequest(idp);
    const callback = await completeSignIn(request.url, credentials);
    const { body: tokens } = await exchangeCode(idp, callback, request.verifier);
    const { status, body } = await tokenRequest(idp, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      organization_id: 'acme',
    });
    assert.equal(status, 403);
    assert.equal(body.code, 'oidc.insufficient_scope');
    assert.equal(body.error_description, 'refresh token missing required scope');
  });

  it('refuses a reused authorization code with invalid_grant', async () => {
    const request = authorizationRequest(idp);
    const callback = await completeSignIn(request.url, credentials);
    assert.equal((await exchangeCode(idp, callback, request.verifier)).status, 200);
    const again = await exchangeCode(idp, callback, request.verifier);
    assert.equal(again.status, 400);
    assert.equal(again.body.code, 'oidc.invalid_grant');
  });

  it('redirects invalid_target to the app for an unknown resource at /oidc/auth', async () => {
    const request = authorizationRequest(idp, { resources: ['https://unknown.example.com'] });
    const response = await fetch(request.url, { redirect: 'manual' });
    assert.equal(response.status, 303);
    const location = new URL(String(response.headers.get('location')));
    assert.equal(location.searchParams.get('error'), 'invalid_target');
    assert.equal(location.searchParams.get('state'), request.state);
  });

  it('redirects to the sign-in page like Logto (/sign-in?app_id=…)', async () => {
    const request = authorizationRequest(idp);
    const response = await fetch(request.url, { redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `/sign-in?app_id=${demo.appId}`);
  });

  it('requires PKCE for a public client', async () => {
    const request = authorizationRequest(idp, { clientId: demo.publicAppId });
    const url = new URL(request.url);
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(String(response.headers.get('location')));
    assert.equal(location.searchParams.get('error'), 'invalid_request');
  });

  it('refuses plain PKCE (S256 only)', async () => {
    const request = authorizationRequest(idp, { extra: { code_challenge_method: 'plain' } });
    const response = await fetch(request.url, { redirect: 'manual' });
    const location = new URL(String(response.headers.get('location')));
    assert.equal(location.searchParams.get('error'), 'invalid_request');
  });
});

describe('dev server: the sign-in page', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true });
  });
  after(() => idp.close());

  it('says the password is wrong, with 401, and keeps the user on the page', async () => {
    const request = authorizationRequest(idp);
    await assert.rejects(
      completeSignIn(request.url, { username: 'demo', password: 'nope' }),
      /username or password is incorrect/,
    );
  });

  it('answers 400, not 500, without an interaction cookie or with garbage', async () => {
    for (const init of [
      {},
      { method: 'POST', body: 'username=%E0%A4%A&password=\u0000' },
      { method: 'POST', headers: { cookie: '_interaction=garbage' }, body: 'x' },
    ]) {
      const response = await fetch(`${idp.endpoint}/sign-in`, init);
      assert.equal(response.status, 400);
      assert.match(await response.text(), /Sign-in expired/);
    }
    const consent = await fetch(`${idp.endpoint}/consent`);
    assert.equal(consent.status, 400);
  });

  it('refuses an oversized form with 413', async () => {
    const request = authorizationRequest(idp);
    const first = await fetch(request.url, { redirect: 'manual' });
    const cookies = first.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const response = await fetch(`${idp.endpoint}/sign-in`, {
      method: 'POST',
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${'a'.repeat(20_000)}`,
    });
    assert.equal(response.status, 413);
  });

  it('escapes what it echoes', async () => {
    const request = authorizationRequest(idp);
    const first = await fetch(request.url, { redirect: 'manual' });
    const cookies = first.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const response = await fetch(`${idp.endpoint}/sign-in`, {
      method: 'POST',
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: '<script>x</script>', password: 'p' }),
    });
    assert.equal(response.status, 401);
    const html = await response.text();
    assert.equal(html.includes('<script>x</script>'), false);
    assert.ok(html.includes('&#60;script&#62;'));
  });
});

describe('dev server: sign-out', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true });
  });
  after(() => idp.close());

  it('ends the session and redirects to the registered post-logout URI', async () => {
    const user = new HeadlessUser(credentials);
    const request = authorizationRequest(idp);
    const callback = await user.signIn(request.url);
    const { body: tokens } = await exchangeCode(idp, callback, request.verifier);
    const endSession = new URL(`${idp.issuer}/session/end`);
    endSession.searchParams.set('client_id', demo.appId);
    endSession.searchParams.set('id_token_hint', String(tokens.id_token));
    endSession.searchParams.set('post_logout_redirect_uri', 'http://localhost:3000/');
    assert.equal(await user.signOut(endSession.href), 'http://localhost:3000/');

    // The provider session is gone: the next authorization request asks for sign-in again.
    const next = authorizationRequest(idp);
    await assert.rejects(
      new HeadlessUser({ username: 'demo', password: 'wrong' }).signIn(next.url),
      /incorrect/,
    );
  });

  it('names the redirect URI sent and the ones registered when a sign-in sends an unregistered one', async () => {
    const url = new URL(authorizationRequest(idp).url);
    url.searchParams.set('redirect_uri', 'http://127.0.0.1:3000/callback');
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400);
    const html = await response.text();
    assert.match(html, /invalid_redirect_uri/);
    assert.match(html, /sent the redirect URI <code>http:\/\/127\.0\.0\.1:3000\/callback<\/code>/);
    assert.match(html, new RegExp(`<li><code>${redirectUri.replaceAll('.', '\\.')}</code></li>`));
    assert.match(html, /LOGTO_BASE_URL/);
  });

  it('refuses an unregistered post-logout redirect URI', async () => {
    const endSession = new URL(`${idp.issuer}/session/end`);
    endSession.searchParams.set('client_id', demo.appId);
    endSession.searchParams.set('post_logout_redirect_uri', 'https://evil.example.com/');
    const response = await fetch(endSession);
    assert.equal(response.status, 400);
  });
});

describe('dev server: start-up', () => {
  it('refuses to run with NODE_ENV=production, in any case or spacing', async () => {
    const previous = process.env.NODE_ENV;
    try {
      for (const value of ['production', 'Production', ' PRODUCTION ', 'production\n']) {
        process.env.NODE_ENV = value;
        await assert.rejects(startDevServer({ port: 0, quiet: true }), /refuses to run/, value);
      }
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('uses a public endpoint that differs from the bound port', async () => {
    const idp = await startDevServer({
      port: 0,
      quiet: true,
      endpoint: 'https://auth.example.test',
      seed: defaultSeed(),
    });
    try {
      const response = await fetch(
        `http://127.0.0.1:${idp.port}/oidc/.well-known/openid-configuration`,
      );
      const doc = (await response.json()) as Record<string, unknown>;
      assert.equal(doc.issuer, 'https://auth.example.test/oidc');
    } finally {
      await idp.close();
    }
  });
});
