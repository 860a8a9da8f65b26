// `requireAccessToken()` for Route Handlers: the shared suite, against tokens the real dev server
// signs. A Route Handler is a plain `(Request, { params }) => Response` function, so this calls
// the handlers as Next.js's router would — the path picks the handler, the dynamic segment
// becomes `params` (a promise, as in Next.js 16) — with no Next.js server (as Hono's test calls
// `app.request()`). What the router itself adds (404 for other paths, 405 for other methods) is
// Next.js's, not this package's.
import { describeRequireAccessToken } from '@logto-kit/testing/access-token-suite';
import { type RouteHandler, requireAccessToken } from './index.js';

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
