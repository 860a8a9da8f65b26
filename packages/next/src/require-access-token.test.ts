// `requireAccessToken()` for Route Handlers: the shared suite, against tokens the real dev server
// signs. A Route Handler is a plain `(Request, { params }) => Response` function, so this calls
// the handlers as Next.js's router would — the path picks the handler, the dynamic segment
// becomes `params` (a promise, as in Next.js 16) — with no Next.js server (as Hono's test calls
// `app.request()`). What the router itself adds (404 for other paths, 405 for other methods) is
// Next.js's, not this package's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevServer, demo, startDevServer } from '@logto-kit/dev-server';
import { describeRequireAccessToken } from '@logto-kit/testing/access-token-suite';
import { userTokens } from '@logto-kit/testing/access-tokens';
import { createLogto, type RouteHandler, requireAccessToken } from './index.js';

describeRequireAccessToken('Next.js', async ({ endpoint, down, resource }) => {
  const read = requireAccessToken({ endpoint, resource, scopes: ['read'] }, (_request, auth) =>
    Response.json({ subject: auth.subject, scopes: auth.scopes, machine: auth.isMachine }),
  );
  const write = requireAccessToken({ endpoint, resource, scopes: ['write'] }, async (request) => {
    await request.json();
    return Response.json({ ok: true });
  });
  const projects = requireAccessToken<{ org: string }>(
    { endpoint, resource, organization: ({ params }) => params.org },
    (_request, auth) => Response.json({ organization: auth.organizationId }),
  );
  const downRoute = requireAccessToken({ endpoint: down, resource, logger: false }, () =>
    Response.json({ ok: true }),
  );

  // app/api/read/route.ts (GET), app/api/write/route.ts (POST), app/api/orgs/[org]/route.ts, …
  const routes: [string, RegExp, RouteHandler<never>][] = [
    ['GET', /^\/api\/read$/, read],
    ['POST', /^\/api\/write$/, write],
    ['GET', /^\/api\/orgs\/(?<org>[^/]+)$/, projects],
    ['GET', /^\/api\/down$/, downRoute],
  ];
  return {
    request: async (path, init) => {
      const request = new Request(`http://localhost:3000${path}`, init);
      for (const [method, pattern, handler] of routes) {
        const match = pattern.exec(new URL(request.url).pathname);
        if (!match || method !== request.method) continue;
        const params = Promise.resolve({ ...match.groups } as never);
        return handler(request, { params });
      }
      return new Response(null, { status: 404 });
    },
    close: async () => {},
  };
});

describe('logto.requireAccessToken()', () => {
  let idp: DevServer;
  before(async () => {
    idp = await startDevServer({ port: 0, quiet: true });
  });
  after(() => idp?.close());

  it("takes the app's endpoint: 401 without a token, the handler with one", async () => {
    const logto = createLogto({
      endpoint: idp.endpoint,
      appId: demo.appId,
      appSecret: demo.appSecret,
      baseUrl: 'http://localhost:3000',
      session: { secret: 'a-test-session-secret-that-is-long-enough-0123456789' },
    });
    const GET = logto.requireAccessToken(
      { resource: demo.resource, scopes: ['read'] },
      (_r, auth) => Response.json({ subject: auth.subject }),
    );
    const none = await GET(new Request('http://localhost:3000/api/notes'));
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), `Bearer realm="${demo.resource}"`);
    const { api } = await userTokens(idp);
    const ok = await GET(
      new Request('http://localhost:3000/api/notes', {
        headers: { authorization: `Bearer ${api}` },
      }),
    );
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { subject: 'demo-user-01' });
  });
});
