/**
 * Hostile input to the Express routes, fuzzed with fast-check: any query on `/callback`, any
 * `returnTo` on `/sign-in`, any `Cookie` header (our cookie names with garbage, truncated,
 * tampered or re-chunked values), any path under the protected routes. Never a 500, never a
 * crash or unhandled rejection, never a token in a response body.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SessionManager } from '@logto-kit/core/store';
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import { sessionSecret, startTestEnv, type TestEnv } from '@logto-kit/testing/express-app';
import {
  assertSafeAnswer,
  headerSafe,
  rawGet,
  watchProcess,
  wireSafe,
} from '@logto-kit/testing/express-http';
import express5 from 'express';
import express4 from 'express4';
import fc from 'fast-check';
import { authenticated, logto, logtoErrorHandler } from './index.js';
import type { LogtoExpressOptions } from './middleware.js';

type ExpressFactory = typeof express5;

function buildApp(express: ExpressFactory) {
  return (options: LogtoExpressOptions) => {
    const app = express();
    app.use(logto(options));
    app.use('/protected', authenticated({ shouldRedirect: true }), (req, res) => {
      res.json({ sub: req.user?.sub });
    });
    app.use('/api/token', authenticated(), async (req, res, next) => {
      try {
        res.json(await req.logto.getAccessTokenClaims(demo.resource));
      } catch (error) {
        next(error);
      }
    });
    app.use('/api', authenticated(), (req, res) => {
      res.json({ sub: req.user?.sub });
    });
    app.use(logtoErrorHandler());
    return app as unknown as ReturnType<typeof express5>;
  };
}

const runs = { numRuns: 120 };

for (const [name, express] of [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as ExpressFactory],
] as const) {
  describe(`${name}: hostile input to the routes`, () => {
    let env: TestEnv;
    let port: number;
    const watch = watchProcess();
    /** The signed-in user's session cookie value and tokens. */
    let session: string;
    let secrets: string[];
    /** A sign-in in flight: its state and transaction cookie. */
    let state: string;
    let transactionCookie: string;

    before(async () => {
      env = await startTestEnv(buildApp(express));
      port = Number(new URL(env.baseUrl).port);
      const user = new HeadlessUser({ username: demo.username, password: demo.password });
      await user.visit(`${env.baseUrl}/sign-in`);
      await user.request(`${env.baseUrl}/api/token`); // an API token in the session too
      const header = user.cookieHeader(env.baseUrl);
      session = header.slice(header.indexOf('=') + 1);
      const loaded = await new SessionManager({ secret: sessionSecret, baseUrl: env.baseUrl }).load(
        header,
      );
      const accessTokens = Object.values(
        JSON.parse(loaded.storage.get('accessTokenMap') ?? '{}') as Record<
          string,
          { token: string }
        >,
      ).map((entry) => entry.token);
      secrets = [
        loaded.storage.get('idToken') ?? '',
        loaded.storage.get('refreshToken') ?? '',
        ...accessTokens,
      ].filter((secret) => secret.length > 0);
      assert.ok(secrets.length >= 3, 'the session holds an ID, a refresh and access tokens');

      const signIn = await fetch(`${env.baseUrl}/sign-in`, { redirect: 'manual' });
      state = new URL(String(signIn.headers.get('location'))).searchParams.get('state') ?? '';
      const cookie = signIn.headers.getSetCookie()[0] ?? '';
      transactionCookie = cookie.slice(0, cookie.indexOf(';'));
      assert.ok(state && transactionCookie.startsWith('logto.tx.'));
    });
    after(async () => {
      watch.stop();
      await env.close();
    });

    it('answers any query on /callback with a clear 4xx, with or without the sign-in cookie', async () => {
      const key = fc.constantFrom(
        'code',
        'state',
        'iss',
        'error',
        'error_description',
        'x',
        'state[]',
      );
      const value = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom(state, env.idp.issuer, '%zz', '%', '__proto__', 'constructor'),
      );
      const query = fc.oneof(
        fc
          .array(fc.tuple(key, value), { maxLength: 6 })
          .map((pairs) => pairs.map(([k, v]) => `${wireSafe(k)}=${wireSafe(v)}`).join('&')),
        fc.string({ unit: 'binary', maxLength: 80 }).map(wireSafe),
      );
      await fc.assert(
        fc.asyncProperty(query, fc.boolean(), async (search, withCookie) => {
          const response = await rawGet(port, `/callback?${search}`, {
            accept: 'text/html',
            ...(withCookie ? { cookie: transactionCookie } : {}),
          });
          assertSafeAnswer(response, secrets);
          assert.ok(response.status >= 400, `HTTP ${response.status}`);
        }),
        runs,
      );
    });

    it('starts a sign-in for any returnTo, and keeps only a same-origin one', async () => {
      const sessions = new SessionManager({ secret: sessionSecret, baseUrl: env.baseUrl });
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
          const response = await rawGet(port, `/sign-in?returnTo=${encodeURIComponent(value)}`);
          assertSafeAnswer(response);
          assert.equal(response.status, 303);
          const location = new URL(String(response.headers.location));
          assert.equal(location.origin, env.idp.endpoint);
          const signInState = location.searchParams.get('state') ?? '';
          const cookies = [response.headers['set-cookie'] ?? []].flat();
          const cookie = cookies.map((c) => c.slice(0, c.indexOf(';'))).join('; ');
          const { transaction } = await sessions.readTransaction<{
            state: string;
            returnTo?: string;
          }>(cookie, signInState);
          assert.ok(transaction, 'the sign-in was stored');
          if (transaction.returnTo !== undefined) {
            const target = new URL(transaction.returnTo, env.baseUrl);
            assert.equal(target.origin, env.baseUrl);
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
        'logto.99',
        transactionCookie.slice(0, transactionCookie.indexOf('=')),
        'logto.tx.AAAAAAAAAAAAAAAA',
        '__Host-logto',
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
        '/protected',
        '/callback?code=c&state=s',
        '/sign-in',
        '/sign-out',
      );
      await fc.assert(
        fc.asyncProperty(header, target, async (cookie, path) => {
          const response = await rawGet(port, path, { cookie, accept: 'text/html' });
          assertSafeAnswer(response, secrets);
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
      const path = fc.array(segment, { maxLength: 5 }).map((parts) => wireSafe(parts.join('/')));
      const prefix = fc.constantFrom(
        '/protected/',
        '/protected',
        '/api/',
        '/api/token/',
        '//protected/',
      );
      await fc.assert(
        fc.asyncProperty(prefix, path, fc.boolean(), async (start, rest, signedIn) => {
          const response = await rawGet(port, `${start}${rest}`, {
            accept: 'text/html',
            ...(signedIn ? { cookie: `logto=${session}` } : {}),
          });
          assertSafeAnswer(response, secrets);
        }),
        runs,
      );
    });

    it('answers odd request targets (absolute form, asterisk) without a 500', async () => {
      for (const target of [
        'http://evil.example/protected',
        'http://evil.example/callback?code=c&state=s',
        '*',
        '//evil.example/protected',
      ]) {
        const response = await rawGet(port, target, { accept: 'text/html' });
        assertSafeAnswer(response, secrets);
        if (typeof response.headers.location === 'string') {
          assert.ok(response.headers.location.startsWith('/'), response.headers.location);
          assert.ok(!response.headers.location.startsWith('//'), response.headers.location);
        }
      }
    });

    it('had no unhandled rejection or uncaught exception', () => {
      assert.deepEqual(watch.problems, []);
    });
  });
}
