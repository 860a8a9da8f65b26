// Authorization rules in the proxy (`protect` / `api` entries with roles, scopes, organization,
// check), as plain functions of a Web Request against the real dev server: a signed-in user who
// fails gets core's 403, never a sign-in loop; signed out, the usual redirect or 401. (The page
// helper and the Route Handler wrapper read `cookies()` and need a Next.js server: they are
// tested under `next start` in examples/next/src/e2e.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
import { createLogto, type LogtoNext, type LogtoProxyOptions } from './index.js';
import { pathGuards } from './proxy-rules.js';

const baseUrl = 'http://localhost:3000';
const demoUser = { username: demo.username, password: demo.password };
const bob = { username: 'bob', password: 'bob-password' };

const rules: LogtoProxyOptions = {
  protect: [
    '/protected',
    { path: '/protected/readers', roles: ['reader'] },
    { path: '/protected/acme', organization: demo.organizationId, organizationRoles: ['member'] },
    { path: '/protected/notes', scopes: ['read'] },
    { path: '/protected/demo', check: (user) => user.email === 'demo@example.com' },
  ],
  api: [{ path: '/api/readers', roles: ['reader'] }],
};

/** A user whose requests go to the auth handlers or, for any other path, the proxy. */
function userOf(logto: LogtoNext, credentials: { username: string; password: string }) {
  const proxy = logto.proxy(rules);
  const user = new HeadlessUser(credentials, (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== baseUrl) return fetch(input, init);
    if (url.pathname.startsWith('/auth/')) {
      return logto.handlers[request.method as 'GET' | 'POST'](request);
    }
    return proxy(request);
  });
  return { user, proxy };
}

/** What the proxy answers a path for a signed-in user: `next` when it lets the request on. */
async function answer(
  { user, proxy }: ReturnType<typeof userOf>,
  path: string,
  accept = 'application/json',
): Promise<{ status: number | 'next'; body: string }> {
  const response = await proxy(
    new Request(`${baseUrl}${path}`, { headers: { cookie: user.cookieHeader(baseUrl), accept } }),
  );
  if (response.headers.get('x-middleware-next') === '1') return { status: 'next', body: '' };
  return { status: response.status, body: await response.text() };
}

describe('@logto-kit/next proxy rules', () => {
  let idp: DevServer;
  let logto: LogtoNext;
  before(async () => {
    idp = await startDevServer({
      port: 0,
      quiet: true,
      seed: defaultSeed({ appBaseUrl: baseUrl }),
    });
    logto = createLogto({
      endpoint: idp.endpoint,
      appId: demo.appId,
      appSecret: demo.appSecret,
      baseUrl,
      scopes: [
        'email',
        'roles',
        'urn:logto:scope:organizations',
        'urn:logto:scope:organization_roles',
        'read',
      ],
      resources: [demo.resource],
      session: { secret: 'a-test-session-secret-that-is-long-enough-0123456789' },
      logger: false,
    });
  });
  after(() => idp.close());

  it('sends a signed-out visitor of a ruled page to sign-in, and answers a ruled API 401', async () => {
    const proxy = logto.proxy(rules);
    const page = await proxy(new Request(`${baseUrl}/protected/readers?tab=1`));
    assert.equal(page.status, 303);
    assert.equal(
      page.headers.get('location'),
      `${baseUrl}/auth/sign-in?returnTo=${encodeURIComponent('/protected/readers?tab=1')}`,
    );
    const api = await proxy(new Request(`${baseUrl}/api/readers`));
    assert.equal(api.status, 401);
    assert.equal(((await api.json()) as { error: string }).error, 'not_authenticated');
  });

  it('lets the demo user (role reader, member of acme, scope read) through every rule', async () => {
    const demoApp = userOf(logto, demoUser);
    const landing = await demoApp.user.visit(`${baseUrl}/auth/sign-in?returnTo=/`);
    assert.equal(landing.url, `${baseUrl}/`);
    for (const path of [
      '/protected',
      '/protected/readers',
      '/protected/readers/archive',
      '/protected/acme',
      '/protected/notes',
      '/protected/demo',
      '/api/readers',
    ]) {
      assert.equal((await answer(demoApp, path)).status, 'next', path);
    }
  });

  it('answers Bob (no role, no organization) 403 on each ruled path, and lets him on elsewhere', async () => {
    const bobApp = userOf(logto, bob);
    // Sign-in coming back to a page he may not see: the 403, not another trip to sign-in.
    const landing = await bobApp.user.visit(`${baseUrl}/auth/sign-in?returnTo=/protected/readers`);
    assert.equal(landing.status, 403);
    assert.equal(landing.url, `${baseUrl}/protected/readers`);
    assert.equal(JSON.parse(landing.body).error, 'not_authorized');

    assert.equal((await answer(bobApp, '/protected')).status, 'next');
    assert.equal((await answer(bobApp, '/elsewhere')).status, 'next');
    for (const path of ['/protected/acme', '/protected/notes', '/protected/demo', '/api/readers']) {
      const { status, body } = await answer(bobApp, path);
      assert.equal(status, 403, path);
      assert.equal(JSON.parse(body).error, 'not_authorized', path);
    }
    const page = await answer(bobApp, '/protected/readers', 'text/html');
    assert.equal(page.status, 403);
    assert.match(page.body, /No access/, "core's 403 page for a browser");
  });
});

describe('pathGuards', () => {
  it('applies every entry covering a path, prefixes by segment', () => {
    const guardsFor = pathGuards({
      protect: [
        '/app',
        { path: '/app/admin', roles: ['admin'] },
        { path: '/app/admin/x', scopes: ['x'] },
      ],
      api: ['/app/api'],
    });
    assert.deepEqual(guardsFor('/'), []);
    assert.deepEqual(guardsFor('/application'), [], 'a prefix counts by whole segments');
    assert.deepEqual(guardsFor('/app/settings'), [{ shouldRedirect: true }]);
    assert.deepEqual(guardsFor('/app/admin/x/1'), [
      { roles: ['admin'], shouldRedirect: true },
      { scopes: ['x'], shouldRedirect: true },
    ]);
    assert.deepEqual(guardsFor('/app/api/me'), [{ shouldRedirect: false }], 'an API answers 401');
  });

  it('refuses an entry that is not a path or a { path } rule at construction', () => {
    assert.throws(() => pathGuards({ protect: ['admin'] }), TypeError);
    assert.throws(() => pathGuards({ api: [{ roles: ['x'] } as never] }), TypeError);
    assert.throws(() => pathGuards({ protect: '/admin' as never }), TypeError);
  });
});
