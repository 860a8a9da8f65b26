import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevServer, demo } from '@logto-kit/dev-server';
import {
  appBaseUrl,
  closedPort,
  faultyProvider,
  optionsFor,
  setCookieNames,
  startIdp,
  userOf,
} from '@logto-kit/testing/hono-app';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { authenticated, type LogtoEnv, logto, logtoErrorHandler, logtoRequest } from './index.js';
import type { LogtoHonoOptions } from './middleware.js';

function buildApp(options: LogtoHonoOptions): Hono<LogtoEnv> {
  const app = new Hono<LogtoEnv>();
  app.use(logto(options));
  app.get('/', (c) => c.text('home'));
  app.get('/protected', authenticated({ shouldRedirect: true }), (c) => c.json(c.get('user')));
  app.get(
    '/protected/userinfo',
    authenticated({ shouldRedirect: true, fetchUserInfo: true }),
    (c) => c.json(c.get('user')),
  );
  // `user` is typed as present behind authenticated(): no `?.` needed.
  app.get('/api/me', authenticated(), (c) => c.json({ sub: c.get('user').sub }));
  app.get('/api/token', authenticated(), async (c) =>
    c.json(await c.get('logto').getAccessTokenClaims(demo.resource)),
  );
  app.get('/api/organization', authenticated(), async (c) =>
    c.json(await c.get('logto').getOrganizationTokenClaims(demo.organizationId)),
  );
  app.get('/api/token-then-redirect', authenticated(), async (c) => {
    await c.get('logto').getAccessToken(demo.resource);
    return Response.redirect(`${appBaseUrl}/`, 302); // immutable headers
  });
  app.onError(logtoErrorHandler());
  return app;
}

const html = { headers: { accept: 'text/html' } };

describe('logto() and authenticated() through app.request()', () => {
  let idp: DevServer;
  let app: Hono<LogtoEnv>;
  before(async () => {
    idp = await startIdp();
    app = buildApp(optionsFor(idp.endpoint));
  });
  after(() => idp.close());

  it('leaves public routes alone: no session read, no Set-Cookie', async () => {
    const response = await app.request('/');
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'home');
    assert.deepEqual(response.headers.getSetCookie(), []);
  });

  it('throws the 401 as an HTTPException carrying the complete response', async () => {
    const seen: unknown[] = [];
    const guarded = new Hono();
    guarded.use(logto(optionsFor(idp.endpoint)));
    guarded.get('/api/me', authenticated(), (c) => c.text('never'));
    guarded.onError((error, c) => {
      seen.push(error);
      return error instanceof HTTPException ? error.getResponse() : c.text('unexpected', 500);
    });
    const response = await guarded.request('/api/me');
    assert.equal(seen.length, 1);
    assert.ok(seen[0] instanceof HTTPException);
    assert.equal(seen[0].status, 401);
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), {
      error: 'not_authenticated',
      message: 'Please sign in to continue.',
    });
    assert.match(String(response.headers.get('www-authenticate')), /^Logto realm=/);
  });

  it('starts a sign-in: 303 to the provider, the transaction in its own cookie', async () => {
    const response = await app.request('/sign-in?returnTo=/protected');
    assert.equal(response.status, 303);
    const location = new URL(String(response.headers.get('location')));
    assert.equal(`${location.origin}${location.pathname}`, `${idp.issuer}/auth`);
    assert.equal(location.searchParams.get('redirect_uri'), `${appBaseUrl}/callback`);
    assert.equal(location.searchParams.get('client_id'), demo.appId);
    const cookies = setCookieNames(response);
    assert.equal(cookies.length, 1);
    assert.notEqual(cookies[0], 'logto', 'the session itself is not written');
  });

  it('asks for the register screen on /sign-up', async () => {
    const response = await app.request('/sign-up');
    assert.equal(response.status, 303);
    const location = new URL(String(response.headers.get('location')));
    assert.equal(location.searchParams.get('first_screen'), 'register');
  });

  it('signs in through the provider and comes back to the page the user wanted', async () => {
    const user = userOf(app);
    const page = await user.visit(`${appBaseUrl}/protected?tab=1`);
    assert.equal(page.url, `${appBaseUrl}/protected?tab=1`);
    assert.equal(page.status, 200);
    const claims = JSON.parse(page.body) as Record<string, unknown>;
    assert.equal(claims.sub, 'demo-user-01');
    assert.equal(claims.email, 'demo@example.com');
    // Only the session cookie remains; the transaction cookie was cleared.
    assert.deepEqual(user.cookieNames(appBaseUrl), ['logto']);
  });

  it('serves a signed-in request with no provider call and no Set-Cookie', async () => {
    const user = userOf(app);
    await user.visit(`${appBaseUrl}/sign-in`);
    idp.resetCounts();
    const response = await user.request(`${appBaseUrl}/api/me`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { sub: 'demo-user-01' });
    assert.deepEqual(response.headers.getSetCookie(), []);
    for (const route of ['token', 'jwks', 'discovery', 'userinfo'] as const) {
      assert.equal(idp.requestCount(route), 0, `${route} requests`);
    }
  });

  it('fetches userinfo with fetchUserInfo', async () => {
    const user = userOf(app);
    const page = await user.visit(`${appBaseUrl}/sign-in?returnTo=/protected/userinfo`);
    const info = JSON.parse(page.body) as Record<string, unknown>;
    assert.deepEqual(info.custom_data, { plan: 'pro' });
  });

  it('gets an API token once, saves it in the session, then serves it from the cookie', async () => {
    const user = userOf(app);
    await user.visit(`${appBaseUrl}/sign-in`);
    idp.resetCounts();
    const first = await user.request(`${appBaseUrl}/api/token`);
    assert.equal(first.status, 200);
    const claims = (await first.json()) as Record<string, unknown>;
    assert.equal(claims.aud, demo.resource);
    assert.equal(claims.scope, 'read');
    assert.deepEqual(setCookieNames(first), ['logto']);
    assert.equal(idp.requestCount('token'), 1);
    const second = await user.request(`${appBaseUrl}/api/token`);
    assert.equal(second.status, 200);
    assert.equal(idp.requestCount('token'), 1);
    assert.deepEqual(second.headers.getSetCookie(), []);
  });

  it('saves a changed session even on a response with immutable headers', async () => {
    const user = userOf(app);
    await user.visit(`${appBaseUrl}/sign-in`);
    const response = await user.request(`${appBaseUrl}/api/token-then-redirect`);
    assert.equal(response.status, 302);
    assert.deepEqual(setCookieNames(response), ['logto']);
  });

  it('gets an organization token', async () => {
    const user = userOf(app);
    await user.visit(`${appBaseUrl}/sign-in`);
    const response = await user.request(`${appBaseUrl}/api/organization`);
    assert.equal(response.status, 200);
    const claims = (await response.json()) as Record<string, unknown>;
    assert.equal(claims.aud, 'urn:logto:organization:acme');
  });

  it('signs out at the provider and ends the session', async () => {
    const user = userOf(app);
    await user.visit(`${appBaseUrl}/sign-in`);
    const landing = await user.visit(`${appBaseUrl}/sign-out`);
    assert.equal(landing.url, `${appBaseUrl}/`);
    assert.deepEqual(user.cookieNames(appBaseUrl), []);
    const after = await user.request(`${appBaseUrl}/api/me`);
    assert.equal(after.status, 401);
  });

  it('ignores a returnTo on another origin', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const user = userOf(app);
      const page = await user.visit(
        `${appBaseUrl}/sign-in?returnTo=${encodeURIComponent(returnTo)}`,
      );
      assert.equal(page.url, `${appBaseUrl}/`, returnTo);
    }
  });

  it('answers a callback without a matching sign-in with a clear 400 page', async () => {
    const response = await app.request('/callback?code=abc&state=nope', html);
    assert.equal(response.status, 400);
    assert.match(String(response.headers.get('content-type')), /^text\/html/);
    const page = await response.text();
    assert.match(page, /Sign-in expired/);
    assert.match(page, /href="\/sign-in"/);
  });

  it('answers the same callback with JSON for an API client', async () => {
    const response = await app.request('/callback?code=abc&state=nope');
    assert.equal(response.status, 400);
    assert.deepEqual(Object.keys((await response.json()) as object), ['error', 'message']);
  });

  it('shows a 400 page when the provider refused the sign-in, and stores nothing', async () => {
    const start = await app.request('/sign-in');
    const state = new URL(String(start.headers.get('location'))).searchParams.get('state');
    const transaction = start.headers.getSetCookie()[0]!.split(';')[0]!;
    const response = await app.request(
      `/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(idp.issuer)}`,
      { headers: { ...html.headers, cookie: transaction } },
    );
    assert.equal(response.status, 400);
    assert.match(await response.text(), /Sign-in was not completed/);
    // The transaction is cleared; no session is written.
    const cleared = response.headers.getSetCookie();
    assert.equal(cleared.length, 1);
    assert.match(cleared[0]!, /Max-Age=0/);
    assert.equal(setCookieNames(response).includes('logto'), false);
  });

  it('reads a tampered session cookie as signed out and clears it', async () => {
    const response = await app.request('/api/me', {
      headers: { cookie: 'logto=eyJhbGciOiJkaXIi.garbage' },
    });
    assert.equal(response.status, 401);
    const cleared = response.headers.getSetCookie();
    assert.equal(cleared.length, 1);
    assert.match(cleared[0]!, /^logto=; Max-Age=0/);
  });

  it('lets two tabs sign in at once', async () => {
    const user = userOf(app);
    const stopAtCallback = { stopAt: (url: URL) => url.pathname === '/callback' };
    const first = await user.visit(`${appBaseUrl}/sign-in?returnTo=/one`, stopAtCallback);
    const second = await user.visit(`${appBaseUrl}/sign-in?returnTo=/two`, stopAtCallback);
    const a = await user.request(first.url);
    assert.equal(a.status, 303);
    assert.equal(a.headers.get('location'), '/one');
    const b = await user.request(second.url);
    assert.equal(b.status, 303);
    assert.equal(b.headers.get('location'), '/two');
  });

  it('answers an HTTPException from afterCallback as a failed hook (500), storing nothing', async () => {
    // Core decides for every adapter: SignInRefusedError is the one way to refuse (403, in the
    // shared behaviour suite); anything else thrown there, Hono's own exceptions included, is the
    // hook failing.
    const refusing = buildApp(
      optionsFor(idp.endpoint, {
        logger: false,
        afterCallback: () => {
          throw new HTTPException(403, { message: 'Members only' });
        },
      }),
    );
    const user = userOf(refusing);
    const page = await user.visit(`${appBaseUrl}/sign-in`);
    assert.equal(page.status, 500);
    assert.equal(JSON.parse(page.body).error, 'sign_in.after_callback_failed');
    assert.deepEqual(user.cookieNames(appBaseUrl), []);
  });

  it('uses configured route paths for the redirect and WWW-Authenticate', async () => {
    const custom = buildApp(optionsFor(idp.endpoint, { routes: { signIn: '/login' } }));
    const page = await custom.request('/protected');
    assert.equal(page.headers.get('location'), '/login?returnTo=%2Fprotected');
    const api = await custom.request('/api/me');
    assert.match(String(api.headers.get('www-authenticate')), /sign_in_uri="\/login"$/);
    const login = await custom.request('/login');
    assert.equal(login.status, 303);
    assert.ok(String(login.headers.get('location')).startsWith(idp.issuer));
    assert.equal((await custom.request('/sign-in')).status, 404);
  });

  it('serves a session another app instance signed in (same secret), with no Host trust', async () => {
    const user = userOf(app);
    await user.visit(`${appBaseUrl}/sign-in`);
    const twin = buildApp(optionsFor(idp.endpoint));
    const response = await twin.request('http://attacker.example/api/me', {
      headers: { cookie: user.cookieHeader(`${appBaseUrl}/`) },
    });
    assert.equal(response.status, 200);
    const signedOut = await twin.request('http://attacker.example/protected');
    assert.equal(signedOut.headers.get('location'), '/sign-in?returnTo=%2Fprotected');
  });
});

describe('errors', () => {
  it('refuses bad options at start-up with a TypeError', () => {
    assert.throws(
      () => logto(optionsFor('http://localhost:1', { baseUrl: 'not a url' })),
      TypeError,
    );
    assert.throws(
      () => logto(optionsFor('http://localhost:1', { session: { secret: '' } })),
      TypeError,
    );
  });

  it('says when a route asks for the request but logto() is not mounted', async () => {
    const app = new Hono();
    app.get('/x', (c) => c.text(String(logtoRequest(c))));
    const errors: unknown[] = [];
    app.onError((error, c) => {
      errors.push(error);
      return c.text('error', 500);
    });
    assert.equal((await app.request('/x')).status, 500);
    assert.ok(errors[0] instanceof TypeError);
    assert.match(errors[0].message, /Mount app\.use\(logto/);
  });

  it('shows 503 when the provider cannot be reached', async () => {
    const app = buildApp(optionsFor(`http://localhost:${await closedPort()}`));
    const response = await app.request('/sign-in', html);
    assert.equal(response.status, 503);
    assert.match(await response.text(), /cannot be reached right now/);
  });

  it('shows 504 when the provider does not answer in time', async () => {
    const provider = await faultyProvider('hang');
    try {
      const app = buildApp(optionsFor(provider.endpoint, { timeout: 200 }));
      const response = await app.request('/sign-in', html);
      assert.equal(response.status, 504);
      assert.match(await response.text(), /did not answer in time/);
    } finally {
      await provider.close();
    }
  });

  it('shows 502 when the provider answers garbage', async () => {
    const provider = await faultyProvider('garbage');
    try {
      const app = buildApp(optionsFor(provider.endpoint));
      const response = await app.request('/sign-in');
      assert.equal(response.status, 502);
      assert.deepEqual(await response.json(), {
        error: 'provider.invalid_response',
        message: 'The identity provider sent an invalid response.',
      });
    } finally {
      await provider.close();
    }
  });

  it('renders a LogtoError from a handler with logtoErrorHandler (provider down mid-session)', async () => {
    const idp = await startIdp();
    try {
      const user = userOf(buildApp(optionsFor(idp.endpoint)));
      await user.visit(`${appBaseUrl}/sign-in`);
      // Same secret, same session; this instance's provider is down.
      const down = buildApp(optionsFor(`http://localhost:${await closedPort()}`));
      const response = await down.request('/api/token', {
        headers: { cookie: user.cookieHeader(`${appBaseUrl}/`) },
      });
      assert.equal(response.status, 503);
      assert.deepEqual(Object.keys((await response.json()) as object), ['error', 'message']);
    } finally {
      await idp.close();
    }
  });

  it('leaves other errors to Hono: a plain 500', async () => {
    const app = new Hono<LogtoEnv>();
    app.use(logto(optionsFor('http://localhost:1')));
    app.get('/bug', () => {
      throw new RangeError('a bug');
    });
    app.onError(logtoErrorHandler((_error, c) => c.text('bug', 500)));
    const response = await app.request('/bug');
    assert.equal(response.status, 500);
    assert.equal(await response.text(), 'bug');
  });
});
