// The shared behaviour and failure suites against @logto-kit/next, served as `next start` would
// serve the suite's small app (testing/src/next-app.ts: Next's own proxy and Route Handler
// runtimes, no build). The app, as a Next.js user writes it:
//   proxy.ts                      logto.proxy({ protect: ['/protected'], api: [the /api guards] })
//                                 with a matcher that leaves out the auth routes (the README's)
//   app/<auth route>/route.ts     export const { GET, HEAD, POST } = logto.handlers
//   app/…/route.ts                the suite's routes, reading the session with getLogto()
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
import {
  type AnyWebOptions,
  describeAdapterBehaviour,
  SwitchableStore,
  suiteSecret,
} from '@logto-kit/testing/adapter-behaviour';
import {
  type NextAppFiles,
  type NextServed,
  type RouteModule,
  serveNext,
} from '@logto-kit/testing/next-app';
import { createLogto, type LogtoProxyOptions } from './index.js';

/** Core's default paths: the suite reaches the auth routes there (Next's default is /auth/…). */
const suiteRoutes = {
  signIn: '/sign-in',
  signUp: '/sign-up',
  callback: '/callback',
  signOut: '/sign-out',
  backchannelLogout: '/backchannel-logout',
};

function suiteApp(options: AnyWebOptions, proxyOptions: LogtoProxyOptions = {}): NextAppFiles {
  // createLogto(…) checks the options: bad ones throw from mount().
  const logto = createLogto({ ...options, routes: { ...suiteRoutes, ...options.routes } });
  const session = () => logto.getLogto();
  const auth: RouteModule = logto.handlers;
  const authPaths = new Set(Object.values(logto.routes));
  const routes: Record<string, RouteModule> = {
    '/': { GET: () => new Response('home') },
    '/whoami': {
      GET: async () => Response.json({ signedIn: await session().isAuthenticated() }),
    },
    '/whoami-private': {
      GET: async () =>
        Response.json(
          { signedIn: await session().isAuthenticated() },
          { headers: { 'cache-control': 'private, max-age=60' } },
        ),
    },
    // The guarded routes check for themselves with logto.authenticated(), behind the proxy.
    '/protected': {
      GET: logto.authenticated({ shouldRedirect: true }, (_request, user) => Response.json(user)),
    },
    '/api/me': {
      GET: logto.authenticated({}, (_request, user) => Response.json({ sub: user.sub })),
    },
    '/api/token': {
      GET: logto.authenticated({}, async () =>
        Response.json(await session().getAccessTokenClaims('https://api.example.com')),
      ),
    },
    '/api/organization/[id]': {
      GET: logto.authenticated<{ id: string }>({}, async (_request, _user, { params }) =>
        Response.json(await session().getOrganizationTokenClaims((await params).id)),
      ),
    },
    // Its error answered as logtoErrorHandler() answers it in the other adapters.
    '/api/provider-down': {
      GET: logto.handleErrors(() => {
        throw new ProviderUnavailableError();
      }),
    },
  };
  for (const path of authPaths) routes[path] = auth;
  return {
    proxy: {
      proxy: logto.proxy({
        ...proxyOptions,
        protect: ['/protected'],
        api: ['/api/me', '/api/token', '/api/organization'],
      }),
      matches: (pathname) => !authPaths.has(pathname),
    },
    routes,
  };
}

describeAdapterBehaviour({
  name: 'Next.js',
  cannot: {
    markSessionReads:
      'getLogto() has no response to mark: a page or Route Handler that reads the session with it owns its response headers (logto.authenticated() Route Handlers are marked: the guarded rows run)',
  },
  loginHintFromQuery: (request: Request) => {
    const hint = new URL(request.url).searchParams.get('hint');
    return hint ? { loginHint: hint } : undefined;
  },
  async serve() {
    const served = await serveNext();
    return {
      baseUrl: served.baseUrl,
      // The suite's routes get their tokens themselves, as in the other adapters (and so a
      // refused write reaches them); the proxy's prefetch is tested with examples/next.
      mount: (options) => served.mount(suiteApp(options, { prefetch: false })),
      fetch: served.fetch,
      close: () => served.close(),
    };
  },
});

describe('Next.js: a Route Handler getLogto() could not save', () => {
  let served: NextServed;
  let idp: DevServer;
  before(async () => {
    served = await serveNext();
    idp = await startDevServer({
      port: 0,
      quiet: true,
      seed: defaultSeed({ appBaseUrl: served.baseUrl }),
    });
  });
  after(async () => {
    await served?.close();
    await idp?.close();
  });

  it('answers the store error (503, through logto.authenticated()), never a 200 for a token the store did not keep', async () => {
    const store = new SwitchableStore();
    served.mount(
      suiteApp(
        {
          endpoint: idp.endpoint,
          appId: demo.appId,
          appSecret: demo.appSecret,
          baseUrl: served.baseUrl,
          scopes: ['email', 'read'],
          resources: [demo.resource],
          session: { secret: suiteSecret, store },
          logger: { debug: () => undefined, warn: () => undefined },
        },
        // The proxy would get the token before the Route Handler runs: here the handler must.
        { prefetch: false },
      ),
    );
    const user = new HeadlessUser(
      { username: demo.username, password: demo.password },
      served.fetch,
    );
    await user.visit(`${served.baseUrl}/sign-in`);
    store.mode = 'read-only';
    const refused = await user.request(`${served.baseUrl}/api/token`);
    assert.equal(refused.status, 503);
    assert.equal(((await refused.json()) as { error?: string }).error, 'session_store.unavailable');
    store.mode = 'up';
    const saved = await user.request(`${served.baseUrl}/api/token`);
    assert.equal(saved.status, 200);
    assert.equal(((await saved.json()) as { aud?: string }).aud, demo.resource);
  });
});
