// What every adapter's `requireAccessToken()` does, as one suite against tokens the real dev
// server signs: the verified token reaches the handler, a machine token is accepted, refusals
// are RFC 6750's, the organization comes from the route, and an unreachable provider is a 503.
// Each adapter serves the same four routes (see `AccessTokenRoutes`) and runs this suite.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevServer, demo, startDevServer } from '@logto-kit/dev-server';
import { machineToken, signedByUnknownKey, userTokens } from './access-tokens.js';
import { closedPort } from './test-provider.js';

/**
 * What an adapter's test app serves, each route behind its `requireAccessToken()`:
 * - `GET /api/read` (`scopes: ['read']`) → `{ subject, scopes, machine }` of the verified token;
 * - `POST /api/write` (`scopes: ['write']`, a JSON body) → `{ ok: true }`;
 * - `GET /api/orgs/:org` (`organization` read from the route) → `{ organization }`;
 * - `GET /api/down` (`endpoint: down`, `logger: false`) → `{ ok: true }`.
 */
export interface AccessTokenRoutes {
  endpoint: string;
  /** An endpoint nobody listens on. */
  down: string;
  resource: string;
}

/** A served test app: requests go to it by path. */
export interface AccessTokenApp {
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Runs the shared `requireAccessToken()` suite against an adapter's app.
 *
 * @example
 * describeRequireAccessToken('Hono', async (routes) => serveHonoApp(routes));
 */
export function describeRequireAccessToken(
  name: string,
  serve: (routes: AccessTokenRoutes) => Promise<AccessTokenApp>,
): void {
  describe(`${name} requireAccessToken`, () => {
    let idp: DevServer;
    let app: AccessTokenApp;
    let token: string;
    before(async () => {
      idp = await startDevServer({ port: 0, quiet: true });
      const down = `http://127.0.0.1:${await closedPort()}`;
      app = await serve({ endpoint: idp.endpoint, down, resource: demo.resource });
      token = (await userTokens(idp)).api;
    });
    after(async () => {
      await app?.close();
      await idp?.close();
    });

    const get = (path: string, authorization?: string) =>
      app.request(path, authorization ? { headers: { authorization } } : {});

    it('gives the handler the verified token', async () => {
      const response = await get('/api/read', `Bearer ${token}`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        subject: 'demo-user-01',
        scopes: ['read'],
        machine: false,
      });
    });

    it('accepts a machine-to-machine token of the seeded machine app', async () => {
      const response = await get('/api/read', `Bearer ${await machineToken(idp)}`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        subject: demo.machineAppId,
        scopes: ['read'],
        machine: true,
      });
    });

    it('answers as RFC 6750 says: 401, 403 with scope, 400', async () => {
      // No Bearer credentials — none, or another scheme: 401 with a bare challenge (§3.1).
      for (const authorization of [undefined, `Basic ${btoa('a:b')}`, `Token ${token}`]) {
        const none = await get('/api/read', authorization);
        assert.equal(none.status, 401, String(authorization).slice(0, 6));
        assert.equal(none.headers.get('www-authenticate'), `Bearer realm="${demo.resource}"`);
      }
      const scope = await app.request('/api/write', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'x' }),
      });
      assert.equal(scope.status, 403);
      assert.match(
        scope.headers.get('www-authenticate') ?? '',
        /error="insufficient_scope".*scope="write"$/,
      );
      // A Bearer header that is not one token: 400 invalid_request.
      const malformed = await get('/api/read', `Bearer ${token} ${token}`);
      assert.equal(malformed.status, 400);
      assert.match(malformed.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
    });

    it('makes one JWKS request for 20 tokens naming unknown keys, at once and in sequence', async () => {
      const forged = await Promise.all(
        Array.from({ length: 20 }, (_, i) => signedByUnknownKey(token, `made-up-${i}`)),
      );
      assert.equal((await get('/api/read', `Bearer ${token}`)).status, 200); // the keys are known
      idp.resetCounts();
      const atOnce = await Promise.all(
        forged.slice(0, 10).map((jwt) => get('/api/read', `Bearer ${jwt}`)),
      );
      for (const response of atOnce) {
        assert.equal(response.status, 401);
        assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
      }
      for (const jwt of forged.slice(10)) {
        assert.equal((await get('/api/read', `Bearer ${jwt}`)).status, 401);
      }
      // One refetch (the first unknown kid might be a key published since), then none.
      assert.equal(idp.requestCount('jwks'), 1);
    });

    it('reads the organization from the route', async () => {
      const orgToken = await (await userTokens(idp)).organizationApi();
      const acme = await get(`/api/orgs/${demo.organizationId}`, `Bearer ${orgToken}`);
      assert.deepEqual(await acme.json(), { organization: demo.organizationId });
      assert.equal((await get('/api/orgs/globex', `Bearer ${orgToken}`)).status, 403);
    });

    it('answers 503, with no Bearer challenge, when the provider cannot be reached', async () => {
      const response = await get('/api/down', `Bearer ${token}`);
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('www-authenticate'), null);
    });
  });
}
