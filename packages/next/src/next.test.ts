// The route handlers and the proxy as plain functions of a Web Request, against the real dev
// server (no Next.js server: getLogto() and the Server Actions need one and are tested through
// examples/next/src/e2e.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LogtoWeb, MemorySessionStore, RefreshDeferredError } from '@logto-kit/core';
import { SessionManager } from '@logto-kit/core/store';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
import { closedPort } from '@logto-kit/testing/test-provider';
import { createLogto, type LogtoNext, type LogtoNextOptions } from './index.js';
import { applySetCookies, parseSetCookie } from './set-cookie.js';

const baseUrl = 'http://localhost:3000';
const secret = 'a-test-session-secret-that-is-long-enough-0123456789';
const credentials = { username: demo.username, password: demo.password };
const ttl = 4; // seconds: access tokens expire within a test

function optionsFor(endpoint: string): LogtoNextOptions {
  return {
    endpoint,
    appId: demo.appId,
    appSecret: demo.appSecret,
    baseUrl,
    scopes: ['email', 'urn:logto:scope:organizations', 'read'],
    resources: [demo.resource],
    session: { secret },
  };
}

/** A user whose requests to the app go to the auth handlers or, for any other path, the proxy. */
function userOf(logto: LogtoNext, proxy: (request: Request) => Promise<Response>): HeadlessUser {
  return new HeadlessUser(credentials, (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== baseUrl) return fetch(input, init);
    if (url.pathname.startsWith('/auth/')) {
      const method = request.method as 'GET' | 'HEAD' | 'POST';
      return logto.handlers[method](request);
    }
    return proxy(request);
  });
}

const sessionOf = async (cookie: string) =>
  (await new SessionManager({ secret, baseUrl }).load(cookie)).storage;

/** The dev server with strict rotation, access tokens living `accessToken` seconds. */
function strictIdp(accessToken?: number): Promise<DevServer> {
  const seed = defaultSeed({ appBaseUrl: baseUrl });
  const ttl = accessToken === undefined ? seed.ttl : { ...seed.ttl, accessToken };
  return startDevServer({
    port: 0,
    quiet: true,
    seed: { ...seed, refreshTokenRotation: 'strict', ttl },
  });
}

describe('@logto-kit/next handlers and proxy', () => {
  let idp: DevServer;
  let logto: LogtoNext;
  before(async () => {
    idp = await strictIdp(ttl);
    logto = createLogto(optionsFor(idp.endpoint));
  });
  after(() => idp.close());

  it('builds the redirect URI from baseUrl, never from the Host header', async () => {
    const response = await logto.handlers.GET(
      new Request('http://evil.example/auth/sign-in?returnTo=https://evil.example/', {
        headers: { host: 'evil.example' },
      }),
    );
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('redirect_uri'), `${baseUrl}/auth/callback`);
    assert.equal(logto.redirectUri, `${baseUrl}/auth/callback`);
  });

  it('answers an unknown auth path with 404 and a stale callback with a 400 page', async () => {
    const unknown = await logto.handlers.GET(new Request(`${baseUrl}/auth/nope`));
    assert.equal(unknown.status, 404);
    const stale = await logto.handlers.GET(
      new Request(`${baseUrl}/auth/callback?code=x&state=y`, { headers: { accept: 'text/html' } }),
    );
    assert.equal(stale.status, 400);
    assert.match(await stale.text(), /Sign-in expired/);
  });

  it('sends a signed-out page visit to sign-in with returnTo, and an API call a 401', async () => {
    const proxy = logto.proxy({ protect: ['/dashboard'], api: ['/api'] });
    const page = await proxy(new Request(`${baseUrl}/dashboard/projects?tab=2`));
    assert.equal(page.status, 303);
    assert.equal(
      page.headers.get('location'),
      `${baseUrl}/auth/sign-in?returnTo=${encodeURIComponent('/dashboard/projects?tab=2')}`,
    );
    const api = await proxy(new Request(`${baseUrl}/api/me`));
    assert.equal(api.status, 401);
    assert.ok(api.headers.get('www-authenticate'));
    assert.equal(((await api.json()) as { error: string }).error, 'not_authenticated');
    const open = await proxy(new Request(`${baseUrl}/`));
    assert.equal(open.headers.get('x-middleware-next'), '1', 'a public page goes on');
  });

  it('refreshes ahead of expiry and hands the new cookie to the browser and to the render', async () => {
    const proxy = logto.proxy({ protect: ['/dashboard'], refreshAhead: 1 });
    const user = userOf(logto, proxy);
    const landing = await user.visit(`${baseUrl}/auth/sign-in?returnTo=/dashboard`);
    assert.equal(landing.url, `${baseUrl}/dashboard`);
    const before = await sessionOf(user.cookieHeader(baseUrl));
    const fresh = await proxy(
      new Request(`${baseUrl}/dashboard`, { headers: { cookie: user.cookieHeader(baseUrl) } }),
    );
    assert.deepEqual(fresh.headers.getSetCookie(), [], 'nothing due: the cookie is left alone');

    await new Promise((resolve) => setTimeout(resolve, ttl * 1000));
    const cookie = `theme=dark; ${user.cookieHeader(baseUrl)}`;
    const due = await proxy(new Request(`${baseUrl}/dashboard`, { headers: { cookie } }));
    assert.equal(due.headers.get('x-middleware-next'), '1');
    const sent = due.headers.getSetCookie();
    assert.ok(sent.length > 0, 'the browser gets the refreshed session');
    const forwarded = due.headers.get('x-middleware-request-cookie') ?? '';
    assert.equal(forwarded, applySetCookies(cookie, sent), 'the render reads the same session');
    assert.match(forwarded, /^theme=dark; /, "the app's other cookies are kept");
    const after = await sessionOf(forwarded);
    assert.notEqual(after.get('refreshToken'), before.get('refreshToken'), 'rotated');
    const map = JSON.parse(after.get('accessTokenMap') ?? '{}') as Record<
      string,
      { expiresAt: number }
    >;
    for (const entry of Object.values(map)) assert.ok(entry.expiresAt * 1000 > Date.now());
  });
});

describe('@logto-kit/next: the refresh route, and refreshes a render must not make', () => {
  let idp: DevServer;
  let logto: LogtoNext;
  before(async () => {
    idp = await strictIdp();
    logto = createLogto(optionsFor(idp.endpoint));
  });
  after(() => idp.close());

  /** A signed-in user whose session holds no API token yet (the proxy does not prefetch). */
  async function signedIn(): Promise<HeadlessUser> {
    const user = userOf(logto, logto.proxy({ prefetch: false }));
    await user.visit(`${baseUrl}/auth/sign-in`);
    return user;
  }
  const refreshUrl = (query: Record<string, string>) =>
    `${baseUrl}/auth/refresh?${new URLSearchParams(query)}`;

  it('with cookie sessions and cookies that cannot be set, defers the refresh instead of spending the token', async () => {
    const user = await signedIn();
    const cookie = user.cookieHeader(baseUrl);
    const before = (await sessionOf(cookie)).get('refreshToken');
    const grants = idp.grantCount('refresh_token', 'issued');
    let asked = 0;
    const readOnly = () => {
      asked += 1;
      return true;
    };
    const web = new LogtoWeb<Request>({ ...optionsFor(idp.endpoint), routes: logto.routes });
    const claims = await web
      .request({ method: 'GET', target: '/', cookie, cookiesReadOnly: readOnly })
      .signedInClaims();
    assert.equal(claims?.sub, 'demo-user-01');
    assert.equal(asked, 0, 'nothing to refresh: the probe is not even asked');
    const request = web.request({ method: 'GET', target: '/', cookie, cookiesReadOnly: readOnly });
    const deferred = await request.client.getAccessToken(demo.resource).then(
      () => assert.fail('a refresh was made'),
      (error: unknown) => error,
    );
    assert.ok(deferred instanceof RefreshDeferredError);
    assert.equal(deferred.code, 'session.refresh_deferred');
    assert.deepEqual(deferred.target, { resource: demo.resource });
    assert.equal(asked, 1);
    assert.equal(idp.grantCount('refresh_token', 'issued'), grants, 'no grant was sent');
    assert.deepEqual((await request.finish(500)).cookies, [], 'nothing to write');
    assert.equal((await sessionOf(cookie)).get('refreshToken'), before);
  });

  it('with a session store, a render whose cookies cannot be set still refreshes (the store keeps it)', async () => {
    const store = new MemorySessionStore();
    const stored = createLogto({ ...optionsFor(idp.endpoint), session: { secret, store } });
    const user = userOf(stored, stored.proxy({ prefetch: false }));
    await user.visit(`${baseUrl}/auth/sign-in`);
    const web = new LogtoWeb<Request>({
      ...optionsFor(idp.endpoint),
      session: { secret, store },
      routes: stored.routes,
    });
    const request = web.request({
      method: 'GET',
      target: '/',
      cookie: user.cookieHeader(baseUrl),
      cookiesReadOnly: true,
    });
    const token = await request.client.getAccessToken(demo.resource);
    assert.ok(token.length > 20);
    await request.finish(200);
    const again = web.request({
      method: 'GET',
      target: '/',
      cookie: user.cookieHeader(baseUrl),
      cookiesReadOnly: true,
    });
    assert.equal(await again.client.getAccessToken(demo.resource), token, 'kept in the store');
  });

  it('gets the token asked for and goes back; signed out, it goes to sign-in and back', async () => {
    const signedOut = await logto.handlers.GET(
      new Request(refreshUrl({ returnTo: '/dashboard?tab=2' })),
    );
    assert.equal(signedOut.status, 303);
    assert.equal(
      signedOut.headers.get('location'),
      `/auth/sign-in?returnTo=${encodeURIComponent('/dashboard?tab=2')}`,
    );
    const user = await signedIn();
    const back = await user.request(
      refreshUrl({ returnTo: '/dashboard', resource: demo.resource }),
    );
    assert.equal(back.status, 303);
    assert.equal(back.headers.get('location'), '/dashboard');
    const map = JSON.parse(
      (await sessionOf(user.cookieHeader(baseUrl))).get('accessTokenMap') ?? '{}',
    );
    assert.ok(map[demo.resource], 'the browser holds the API token now');
    const head = await user.request(refreshUrl({ returnTo: '/' }), { method: 'HEAD' });
    assert.equal(head.status, 404, 'a prefetcher HEAD spends nothing');
  });

  it('never leaves the origin, and answers a resource it does not know by going back', async () => {
    const user = await signedIn();
    const away = await user.request(refreshUrl({ returnTo: 'https://evil.example/' }));
    assert.equal(away.headers.get('location'), '/');
    const unknown = await user.request(
      refreshUrl({ returnTo: '/x', resource: 'https://unknown.example', organization: 'nope' }),
    );
    assert.equal(unknown.status, 303, 'no 500 for what a URL says');
    assert.equal(unknown.headers.get('location'), '/x');
  });

  it('a refused refresh token ends the session and sends the browser to sign in again', async () => {
    const user = await signedIn();
    const refreshToken = (await sessionOf(user.cookieHeader(baseUrl))).get('refreshToken') ?? '';
    const revoked = await fetch(`${idp.issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa(`${demo.appId}:${demo.appSecret}`)}`,
      },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' }),
    });
    assert.equal(revoked.status, 200);
    const response = await user.request(
      refreshUrl({ returnTo: '/dashboard', resource: demo.resource }),
    );
    assert.equal(response.status, 303);
    assert.equal(
      response.headers.get('location'),
      `/auth/sign-in?returnTo=${encodeURIComponent('/dashboard')}`,
    );
    assert.equal((await sessionOf(user.cookieHeader(baseUrl))).get('idToken'), null, 'signed out');
  });

  it('a provider that cannot be reached gives a 503 page with "Try again", never a 500', async () => {
    const user = await signedIn();
    const down = createLogto({ ...optionsFor(`http://127.0.0.1:${await closedPort()}`) });
    const response = await down.handlers.GET(
      new Request(refreshUrl({ returnTo: '/dashboard', resource: demo.resource }), {
        headers: { cookie: user.cookieHeader(baseUrl), accept: 'text/html' },
      }),
    );
    assert.equal(response.status, 503);
    assert.match(await response.text(), /Try again/);
  });
});

describe('Set-Cookie values for Next.js', () => {
  it('reads the attributes cookies().set() takes', () => {
    assert.deepEqual(
      parseSetCookie('logto=a.b=c; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax'),
      {
        name: 'logto',
        value: 'a.b=c',
        options: { maxAge: 60, path: '/', httpOnly: true, secure: true, sameSite: 'lax' },
      },
    );
  });

  it('applies values and deletions to a Cookie header, keeping the other cookies in place', () => {
    assert.equal(
      applySetCookies('a=1; logto.0=x; logto.1=y; b=2', [
        'logto.0=z; Path=/',
        'logto.1=; Max-Age=0; Path=/',
        'logto.2=w; Path=/',
      ]),
      'a=1; logto.0=z; b=2; logto.2=w',
    );
    assert.equal(applySetCookies(null, ['logto=v; Path=/']), 'logto=v');
  });
});
