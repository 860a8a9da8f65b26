// What only Fastify has: scopes and prefixes, hooks before validation, the error handler chain,
// and a `request.user` another plugin may own. The common behaviour is behaviour.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProviderUnavailableError } from '@logto-kit/core';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
import { type FastifyServed, serveFastify } from '@logto-kit/testing/fastify-app';
import type { FastifyInstance } from 'fastify';
import {
  authenticated,
  type LogtoFastifyOptions,
  logto,
  logtoErrorHandler,
  logtoRequest,
  logtoUser,
} from './index.js';

const secret = 'a-fastify-test-session-secret-0123456789-abcdef';

describe('Fastify scopes, prefixes, hooks and errors', () => {
  let served: FastifyServed;
  let idp: DevServer;
  const options = (overrides: Partial<LogtoFastifyOptions> = {}): LogtoFastifyOptions => ({
    endpoint: idp.endpoint,
    appId: demo.appId,
    appSecret: demo.appSecret,
    baseUrl: served.baseUrl,
    scopes: ['email'],
    session: { secret },
    ...overrides,
  });
  const user = () => new HeadlessUser({ username: demo.username, password: demo.password });
  const get = (path: string, init: RequestInit = {}) =>
    fetch(`${served.baseUrl}${path}`, { redirect: 'manual', ...init });

  before(async () => {
    served = await serveFastify();
    const seed = defaultSeed({ appBaseUrl: served.baseUrl });
    for (const prefix of ['/app', '/auth', '/app/auth']) {
      seed.applications?.[0]?.redirectUris?.push(`${served.baseUrl}${prefix}/callback`);
    }
    idp = await startDevServer({ port: 0, quiet: true, seed });
  });
  after(async () => {
    await served?.close();
    await idp?.close();
  });

  it('serves the auth routes under the scope prefix, and signs in there', async () => {
    served.mount((app) => {
      app.register(
        async (scope) => {
          scope.register(logto(options()));
          scope.get('/me', { preHandler: authenticated() }, async (request) => request.user);
        },
        { prefix: '/app' },
      );
      app.get('/outside', async (request) => ({ decorated: request.logto !== undefined }));
    });
    const signedOut = await get('/app/me');
    assert.equal(signedOut.status, 401);
    assert.match(String(signedOut.headers.get('www-authenticate')), /sign_in_uri="\/app\/sign-in"/);
    assert.equal((await get('/sign-in')).status, 404, 'nothing outside the scope');
    const browser = user();
    const page = await browser.visit(`${served.baseUrl}/app/sign-in?returnTo=/app/me`);
    assert.equal(page.status, 200);
    assert.equal(JSON.parse(page.body).sub, 'demo-user-01');
    // Encapsulated: a route outside the scope has no Logto.
    assert.deepEqual(await (await get('/outside')).json(), { decorated: false });
  });

  it('puts the auth routes under a register prefix, the app routes staying where they are', async () => {
    served.mount((app) => {
      app.register(
        async (scope) => {
          scope.register(logto(options()), { prefix: '/auth' });
          scope.get(
            '/protected',
            { preHandler: authenticated({ shouldRedirect: true }) },
            async (request) => ({ sub: request.user?.sub }),
          );
        },
        { prefix: '/app' },
      );
    });
    const redirect = await get('/app/protected');
    assert.equal(redirect.status, 303);
    assert.equal(redirect.headers.get('location'), '/app/auth/sign-in?returnTo=%2Fapp%2Fprotected');
    const browser = user();
    const page = await browser.visit(`${served.baseUrl}/app/protected`);
    assert.deepEqual(JSON.parse(page.body), { sub: 'demo-user-01' });
    const signIn = new URL(String((await get('/app/auth/sign-in')).headers.get('location')));
    assert.equal(signIn.searchParams.get('redirect_uri'), `${served.baseUrl}/app/auth/callback`);
  });

  it('answers 401 before validation when authenticated() is an onRequest hook', async () => {
    served.mount((app) => {
      app.register(logto(options()));
      const schema = { body: { type: 'object', required: ['name'] } };
      app.post('/early', { onRequest: authenticated(), schema }, async () => 'ok');
      app.post('/late', { preHandler: authenticated(), schema }, async () => 'ok');
    });
    const post = (path: string) =>
      get(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal((await post('/early')).status, 401);
    assert.equal((await post('/late')).status, 400, 'validation first, as Fastify orders it');
  });

  it('renders LogtoErrors, and hands anything else to the fallback or to Fastify', async () => {
    const build = (app: FastifyInstance, withFallback: boolean) => {
      app.register(logto(options()));
      app.get('/down', async () => {
        throw new ProviderUnavailableError();
      });
      app.get('/bug', async () => {
        throw new RangeError('a bug of the app');
      });
      app.setErrorHandler(
        logtoErrorHandler(
          withFallback ? (_error, _request, reply) => reply.code(418).send('fallback') : undefined,
        ),
      );
    };
    served.mount((app) => build(app, false));
    const down = await get('/down', { headers: { accept: 'text/html' } });
    assert.equal(down.status, 503);
    assert.match(await down.text(), /cannot be reached/);
    const bug = await get('/bug');
    assert.equal(bug.status, 500);
    assert.equal((await bug.json()).message, 'a bug of the app', "Fastify's own handler");
    served.mount((app) => build(app, true));
    const handled = await get('/bug');
    assert.equal(handled.status, 418);
    assert.equal(await handled.text(), 'fallback');
  });

  it('leaves request.user to a plugin that decorated it first (as @fastify/jwt does)', async () => {
    served.mount((app) => {
      app.decorateRequest('user', null);
      app.register(logto(options()));
      app.get('/me', { preHandler: authenticated() }, async (request) => ({
        sub: logtoUser(request)?.sub,
        same: logtoUser(request) === request.user,
      }));
      app.get('/none', async (request) => ({ user: logtoUser(request) ?? null }));
    });
    const browser = user();
    await browser.visit(`${served.baseUrl}/sign-in`);
    const me = await browser.request(`${served.baseUrl}/me`);
    assert.deepEqual(await me.json(), { sub: 'demo-user-01', same: true });
    assert.deepEqual(await (await browser.request(`${served.baseUrl}/none`)).json(), {
      user: null,
    });
  });

  it('says which plugin is missing when logtoRequest() or the guard runs without it', async () => {
    served.mount((app) => {
      app.get('/orphan', async (request) => logtoRequest(request).url.href);
      app.get('/guarded', { preHandler: authenticated() }, async () => 'never');
    });
    for (const path of ['/orphan', '/guarded']) {
      const response = await get(path);
      assert.equal(response.status, 500, path);
      assert.match((await response.json()).message, /Register the logto plugin/);
    }
  });

  it('refuses a second registration in the same scope at start-up', async () => {
    const mounted = served.mount((app) => {
      app.register(logto(options()));
      app.register(logto(options()));
    });
    await assert.rejects(Promise.resolve(mounted.ready()), /already been added/);
  });
});
