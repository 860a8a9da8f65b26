// The route handlers and the proxy as plain functions of a Web Request, against the real dev
// server (no Next.js server: getLogto() and the Server Actions need one and are tested through
// examples/next/src/e2e.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SessionManager } from '@logto-kit/core/store';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
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

describe('@logto-kit/next handlers and proxy', () => {
  let idp: DevServer;
  let logto: LogtoNext;
  before(async () => {
    const seed = defaultSeed({ appBaseUrl: baseUrl });
    idp = await startDevServer({
      port: 0,
      quiet: true,
      seed: { ...seed, refreshTokenRotation: 'strict', ttl: { ...seed.ttl, accessToken: ttl } },
    });
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
