/**
 * `authenticated({ roles, organization, organizationRoles, scopes, check })`: signed in but not
 * allowed is a 403 (page or JSON), never a redirect to sign in again. Core decides; this runs
 * the demo user (role `reader`, member of `acme`) and Bob (no role, no organization).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DevServer } from '@logto-kit/dev-server';
import { optionsFor, startIdp, userOf } from '@logto-kit/testing/hono-app';
import { Hono } from 'hono';
import { authenticated, type LogtoEnv, logto, logtoErrorHandler } from './index.js';

let idp: DevServer;
let app: Hono<LogtoEnv>;
const bob = { username: 'bob', password: 'bob-password' };

before(async () => {
  idp = await startIdp();
  app = new Hono<LogtoEnv>();
  const scopes = ['urn:logto:scope:organizations', 'urn:logto:scope:organization_roles'];
  app.use(logto(optionsFor(idp.endpoint, { scopes: [...scopes, 'roles', 'read'] })));
  app.onError(logtoErrorHandler());
  const ok = (c: { text: (body: string) => Response }) => c.text('allowed');
  app.get('/readers', authenticated({ shouldRedirect: true, roles: ['reader'] }), ok);
  app.get('/admins', authenticated({ roles: ['admin'] }), ok);
  app.get('/acme', authenticated({ organization: 'acme', organizationRoles: ['member'] }), ok);
  app.get(
    '/acme-admins',
    authenticated({ organization: 'acme', organizationRoles: ['admin'] }),
    ok,
  );
  app.get('/read-api', authenticated({ scopes: ['read'] }), ok);
  app.get('/write-api', authenticated({ scopes: ['write'] }), ok);
  app.get('/checked', authenticated({ check: (user) => user.sub === 'demo-user-01' }), ok);
});
after(() => idp?.close());

describe('authenticated() with rules', () => {
  it('lets the demo user through every rule they pass', async () => {
    const user = userOf(app);
    await user.visit('http://localhost:3000/sign-in');
    for (const path of ['/readers', '/acme', '/read-api', '/checked']) {
      const response = await user.request(`http://localhost:3000${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(await response.text(), 'allowed');
    }
  });

  it('answers 403 JSON for a rule the demo user fails', async () => {
    const user = userOf(app);
    await user.visit('http://localhost:3000/sign-in');
    for (const path of ['/admins', '/acme-admins', '/write-api']) {
      const response = await user.request(`http://localhost:3000${path}`);
      assert.equal(response.status, 403, path);
      assert.deepEqual(await response.json(), {
        error: 'not_authorized',
        message: 'Your account is not allowed to see this. Ask an administrator if it should.',
      });
    }
  });

  it('answers Bob a 403 page, not a sign-in redirect loop, on a page that redirects', async () => {
    const user = userOf(app, bob);
    await user.visit('http://localhost:3000/sign-in');
    const page = await user.request('http://localhost:3000/readers', {
      headers: { accept: 'text/html' },
    });
    assert.equal(page.status, 403);
    assert.equal(page.headers.get('location'), null);
    assert.match(await page.text(), /<h1>No access<\/h1>/);
    for (const path of ['/acme', '/checked']) {
      assert.equal((await user.request(`http://localhost:3000${path}`)).status, 403, path);
    }
  });

  it('still sends a signed-out visitor to sign in', async () => {
    const response = await app.request('http://localhost:3000/readers', {
      headers: { accept: 'text/html' },
    });
    assert.equal(response.status, 303);
    assert.match(response.headers.get('location') ?? '', /^\/sign-in\?returnTo=/);
  });
});
