/**
 * Hostile input to the Hono routes through `app.request()`, fuzzed with fast-check: any query on
 * `/callback`, any `returnTo` on `/sign-in`, any `Cookie` header (our cookie names with garbage,
 * truncated, tampered or re-chunked values), any path under the protected routes. Never a 500,
 * never an unhandled rejection, never a token in a response body.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SessionManager } from '@logto-kit/core/store';
import { type DevServer, demo } from '@logto-kit/dev-server';
import {
  appBaseUrl,
  optionsFor,
  sessionSecret,
  startIdp,
  userOf,
} from '@logto-kit/testing/hono-app';
import fc from 'fast-check';
import { Hono } from 'hono';
import { authenticated, type LogtoEnv, logto, logtoErrorHandler } from './index.js';

function buildApp(endpoint: string): Hono<LogtoEnv> {
  const app = new Hono<LogtoEnv>();
  app.use(logto(optionsFor(endpoint)));
  app.get('/protected/*', authenticated({ shouldRedirect: true }), (c) =>
    c.json({ sub: c.get('user').sub }),
  );
  app.get('/api/token/*', authenticated(), async (c) =>
    c.json(await c.get('logto').getAccessTokenClaims(demo.resource)),
  );
  app.get('/api/*', authenticated(), (c) => c.json({ sub: c.get('user').sub }));
  app.onError(logtoErrorHandler());
  return app;
}

const runs = { numRuns: 120 };
const jwtLike = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/;

/** Keeps what a URL or a header value can carry; percent-encodes the rest. */
const urlSafe = (value: string): string =>
  value.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
const headerSafe = (value: string): string => value.replace(/[^\x20-\x7e]/g, '');

describe('Hono: hostile input to the routes', () => {
  let idp: DevServer;
  let app: Hono<LogtoEnv>;
  const problems: unknown[] = [];
  const record = (error: unknown): void => {
    problems.push(error);
  };
  let session: string;
  let secrets: string[];
  let state: string;
  let transactionCookie: string;

  /** One request to the app; checks the answer is no server error and carries no token. */
  async function safeAnswer(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await app.request(`${appBaseUrl}${path}`, { headers });
    const body = await response.clone().text();
    assert.ok(response.status < 500, `HTTP ${response.status} for ${path}`);
    assert.doesNotMatch(body, jwtLike, 'a JWT in the body');
    for (const secret of secrets) assert.ok(!body.includes(secret), 'a session token in the body');
    return response;
  }

  before(async () => {
    process.on('unhandledRejection', record);
    idp = await startIdp();
    app = buildApp(idp.endpoint);
    const user = userOf(app);
    await user.visit(`${appBaseUrl}/sign-in`);
    await user.request(`${appBaseUrl}/api/token/x`);
    const header = user.cookieHeader(appBaseUrl);
    session = header.slice(header.indexOf('=') + 1);
    const loaded = await new SessionManager({ secret: sessionSecret, baseUrl: appBaseUrl }).load(
      header,
    );
    const accessTokens = Object.values(
      JSON.parse(loaded.storage.get('accessTokenMap') ?? '{}') as Record<string, { token: string }>,
    ).map((entry) => entry.token);
    secrets = [
      loaded.storage.get('idToken') ?? '',
      loaded.storage.get('refreshToken') ?? '',
      ...accessTokens,
    ].filter((secret) => secret.length > 0);
    assert.ok(secrets.length >= 3, 'the session holds an ID, a refresh and access tokens');

    const signIn = await app.request(`${appBaseUrl}/sign-in`);
    state = new URL(String(signIn.headers.get('location'))).searchParams.get('state') ?? '';
    const cookie = signIn.headers.getSetCookie()[0] ?? '';
    transactionCookie = cookie.slice(0, cookie.indexOf(';'));
    assert.ok(state && transactionCookie.startsWith('logto.tx.'));
  });
  after(async () => {
    process.off('unhandledRejection', record);
    await idp.close();
  });

  it('answers any query on /callback with a clear 4xx, with or without the sign-in cookie', async () => {
    const key = fc.constantFrom('code', 'state', 'iss', 'error', 'error_description', 'x');
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(state, idp.issuer, '%zz', '%', '__proto__'),
    );
    const query = fc.oneof(
      fc
        .array(fc.tuple(key, value), { maxLength: 6 })
        .map((pairs) => pairs.map(([k, v]) => `${urlSafe(k)}=${urlSafe(v)}`).join('&')),
      fc.string({ unit: 'binary', maxLength: 80 }).map(urlSafe),
    );
    await fc.assert(
      fc.asyncProperty(query, fc.boolean(), async (search, withCookie) => {
        const response = await safeAnswer(`/callback?${search}`, {
          accept: 'text/html',
          ...(withCookie ? { cookie: transactionCookie } : {}),
        });
        assert.ok(response.status >= 400, `HTTP ${response.status}`);
      }),
      runs,
    );
  });

  it('starts a sign-in for any returnTo, and keeps only a same-origin one', async () => {
    const sessions = new SessionManager({ secret: sessionSecret, baseUrl: appBaseUrl });
    const returnTo = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.webUrl(),
      fc.constantFrom(
        '//evil.example',
        '/\\evil.example',
        '/.//evil.example',
        'javascript:alert(1)',
      ),
    );
    await fc.assert(
      fc.asyncProperty(returnTo, async (value) => {
        const response = await safeAnswer(`/sign-in?returnTo=${encodeURIComponent(value)}`);
        assert.equal(response.status, 303);
        const location = new URL(String(response.headers.get('location')));
        assert.equal(location.origin, idp.endpoint);
        const cookie = response.headers
          .getSetCookie()
          .map((c) => c.slice(0, c.indexOf(';')))
          .join('; ');
        const { transaction } = await sessions.readTransaction<{
          state: string;
          returnTo?: string;
        }>(cookie, location.searchParams.get('state') ?? '');
        assert.ok(transaction, 'the sign-in was stored');
        if (transaction.returnTo !== undefined) {
          assert.equal(new URL(transaction.returnTo, appBaseUrl).origin, appBaseUrl);
          assert.ok(!transaction.returnTo.startsWith('//'));
        }
      }),
      runs,
    );
  });

  it('reads any Cookie header as signed in or signed out, never as an error', async () => {
    const name = fc.constantFrom(
      'logto',
      'logto.0',
      'logto.1',
      'logto.2',
      'logto.01',
      transactionCookie.slice(0, transactionCookie.indexOf('=')),
      'logto.tx.AAAAAAAAAAAAAAAA',
      'other',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.base64String({ maxLength: 120 }),
      fc.constant(session),
      fc.nat({ max: session.length }).map((n) => session.slice(0, n)),
      fc
        .tuple(fc.nat({ max: session.length - 1 }), fc.constantFrom('A', '_', '.', '%', '"'))
        .map(([at, char]) => `${session.slice(0, at)}${char}${session.slice(at + 1)}`),
    );
    const pairs = fc
      .array(fc.tuple(name, value), { maxLength: 5 })
      .map((list) => list.map(([n, v]) => `${n}=${v}`).join('; '));
    const rechunked = fc
      .uniqueArray(fc.integer({ min: 1, max: session.length - 1 }), { maxLength: 4 })
      .map((cuts) => {
        const edges = [0, ...cuts.sort((a, b) => a - b), session.length];
        return edges
          .slice(1)
          .map((end, index) => `logto.${index}=${session.slice(edges[index], end)}`)
          .join('; ');
      });
    const header = fc.oneof(pairs, rechunked, fc.string({ maxLength: 200 })).map(headerSafe);
    const target = fc.constantFrom(
      '/api/me',
      '/protected/page',
      '/callback?code=c&state=s',
      '/sign-in',
      '/sign-out',
    );
    await fc.assert(
      fc.asyncProperty(header, target, async (cookie, path) => {
        const response = await safeAnswer(path, { cookie, accept: 'text/html' });
        if (path === '/api/me') assert.ok([200, 401].includes(response.status));
      }),
      runs,
    );
  });

  it('answers any path under the protected routes without a 500 or a token', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2f',
        '%5c',
        '%zz',
        '%',
        '',
        '\\',
        ';',
        '%00',
        '@',
        ':',
      ),
    );
    const path = fc.array(segment, { maxLength: 5 }).map((parts) => urlSafe(parts.join('/')));
    const prefix = fc.constantFrom('/protected/', '/api/', '/api/token/');
    await fc.assert(
      fc.asyncProperty(prefix, path, fc.boolean(), async (start, rest, signedIn) => {
        fc.pre(URL.canParse(`${appBaseUrl}${start}${rest}`));
        await safeAnswer(`${start}${rest}`, {
          accept: 'text/html',
          ...(signedIn ? { cookie: `logto=${session}` } : {}),
        });
      }),
      runs,
    );
  });

  it('had no unhandled rejection', () => {
    assert.deepEqual(problems, []);
  });
});
