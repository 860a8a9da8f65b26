// Test fixture: a Next.js App Router app served as `next start` serves it, without a build. The
// app is given as its files would be: `proxy.ts` (the proxy function and its matcher) and the
// `route.ts` modules by path. One loopback node:http server runs, for each request, Next's own
// code where Next has it (next@16.4.6, the version the lockfile pins):
//   - the proxy through Next's proxy runtime (`next/dist/server/web/adapter`): the NextRequest,
//     the request stores, a redirect's Location made relative, the request-header overrides;
//   - a Route Handler through Next's Route Handler runtime (`AppRouteRouteModule.handle`, what
//     `next build` compiles each route.ts into): `cookies()` of next/headers works, and what
//     `cookies().set()` wrote is merged into the response;
//   - the request and the response through Next's own adapters (`NextRequestAdapter`,
//     `sendResponse`: headers merged, no body for HEAD).
// What `next start` does between them is transcribed from next@16.4.6: applying the proxy's
// answer to the request and the response (server/lib/router-utils/resolve-routes.js,
// server/lib/router-server.js), the body a proxy may read (server/body-streams.js), and routing
// (a static path before a `[param]` one; no route is a 404). Not here: pages (Server
// Components), Server Actions, `next.config` and the build; `examples/next` runs those under
// `next start`.
// First, as in `next start`: AsyncLocalStorage on globalThis, which next/headers needs.
import 'next/dist/server/node-environment-baseline.js';
import { once } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeNextRequest, NodeNextResponse } from 'next/dist/server/base-http/node.js';
import { getCloneableBody } from 'next/dist/server/body-streams.js';
import { addRequestMeta } from 'next/dist/server/request-meta.js';
import { AppRouteRouteModule } from 'next/dist/server/route-modules/app-route/module.js';
import { sendResponse } from 'next/dist/server/send-response.js';
import { adapter } from 'next/dist/server/web/adapter.js';
import {
  NextRequestAdapter,
  signalFromNodeResponse,
} from 'next/dist/server/web/spec-extension/adapters/next-request.js';
import { toNodeOutgoingHttpHeaders } from 'next/dist/server/web/utils.js';
import type { NextRequest } from 'next/server.js';

/**
 * A Route Handler: what a `route.ts` exports per method. Each route types its own `params`
 * (`never` here lets any of them in).
 */
export type RouteHandler = (
  request: NextRequest,
  context: { params: Promise<never> },
) => Response | Promise<Response>;

/** A `route.ts` module: its exported methods. */
export type RouteModule = Partial<
  Record<'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS', RouteHandler>
>;

/** The files of the app under test. */
export interface NextAppFiles {
  /** `proxy.ts`: the `proxy` export, and the paths its `config.matcher` selects. */
  readonly proxy?: {
    readonly proxy: (request: NextRequest) => Response | Promise<Response>;
    readonly matches: (pathname: string) => boolean;
  };
  /** `app/…/route.ts` by path: `/api/organization/[id]` for a dynamic segment. */
  readonly routes: Readonly<Record<string, RouteModule>>;
}

export interface NextServed {
  readonly baseUrl: string;
  /**
   * The test client's fetch: the global one as it was before Next patched it. A Route Handler
   * run patches `globalThis.fetch` (for its data cache); the patched one reads Next's request
   * stores, and in one process a pooled socket can carry a finished request's store into the
   * client's next call, which then hangs. `next start` never shares its process with a browser.
   */
  readonly fetch: typeof fetch;
  /** Serves these files from now on (the same port: redirect URIs stay valid). */
  mount(files: NextAppFiles): void;
  close(): Promise<void>;
}

interface MountedRoute {
  readonly segments: readonly string[];
  readonly module: AppRouteRouteModule;
}

interface Mounted {
  readonly files: NextAppFiles;
  readonly routes: readonly MountedRoute[];
}

const unpatchedFetch: typeof fetch = globalThis.fetch;

const dynamic = (segment: string) => segment.startsWith('[') && segment.endsWith(']');

/** A route module as `next build` makes it (build/templates/app-route.js), loaded at once. */
function routeModule(path: string, userland: RouteModule): AppRouteRouteModule {
  const page = `${path === '/' ? '' : path}/route`;
  return new AppRouteRouteModule({
    definition: {
      kind: 'APP_ROUTE', // RouteKind.APP_ROUTE (a const enum)
      page,
      pathname: path,
      filename: 'route',
      bundlePath: `app${page}`,
    },
    distDir: '.next',
    relativeProjectDir: '',
    resolvedPagePath: `app${page}.ts`,
    nextConfigOutput: undefined,
    userland: () => userland,
  } as unknown as ConstructorParameters<typeof AppRouteRouteModule>[0]);
}

function mountFiles(files: NextAppFiles): Mounted {
  const routes = Object.entries(files.routes)
    .map(([path, userland]) => ({
      segments: path.split('/').filter(Boolean),
      module: routeModule(path, userland),
    }))
    // A static segment wins over a dynamic one at the same place (Next's sorted routes).
    .sort((a, b) => rank(a.segments).localeCompare(rank(b.segments)));
  return { files, routes };
}

const rank = (segments: readonly string[]) =>
  segments.map((segment) => (dynamic(segment) ? '1' : '0')).join('');

/** The route for a path and its params, or `undefined` (Next's 404). */
function resolve(
  routes: readonly MountedRoute[],
  pathname: string,
): { route: MountedRoute; params: Record<string, string> } | undefined {
  const parts = pathname.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matched = route.segments.every((segment, index) => {
      const part = parts[index] as string;
      if (!dynamic(segment)) return segment === part;
      params[segment.slice(1, -1)] = decodeURIComponent(part);
      return true;
    });
    if (matched) return { route, params };
  }
  return undefined;
}

/** What the proxy's answer leaves to do: end the response, or go on with these headers. */
type ProxyOutcome = { finished: true } | { finished: false; resHeaders: OutgoingHttpHeaders };

/**
 * Runs the proxy as next-server's `runMiddleware` does, then applies its answer as
 * resolve-routes.js does: `NextResponse.next()` rewrites the request's headers and passes its
 * other headers on; anything else is the response.
 */
async function runProxy(
  proxy: NonNullable<NextAppFiles['proxy']>['proxy'],
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
): Promise<ProxyOutcome> {
  const method = (req.method ?? 'GET').toUpperCase();
  const cloneable = getCloneableBody(req);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  let result: Awaited<ReturnType<typeof adapter>>;
  try {
    result = await adapter({
      handler: proxy as Parameters<typeof adapter>[0]['handler'],
      page: '/proxy',
      request: {
        headers: req.headers,
        method,
        nextConfig: { basePath: '', trailingSlash: false },
        url,
        body: hasBody ? (cloneable.cloneBodyStream() as never) : undefined,
        signal: signalFromNodeResponse(res),
      } as Parameters<typeof adapter>[0]['request'],
    });
  } finally {
    if (hasBody) await cloneable.finalize();
  }
  const answer = result.response;
  const headers = toNodeOutgoingHttpHeaders(answer.headers);
  const override = headers['x-middleware-override-headers'];
  if (override) {
    const names = new Set(
      String(override)
        .split(',')
        .map((name) => name.trim()),
    );
    delete headers['x-middleware-override-headers'];
    for (const name of Object.keys(req.headers)) if (!names.has(name)) delete req.headers[name];
    for (const name of names) {
      const value = headers[`x-middleware-request-${name}`];
      if (req.headers[name] !== value) req.headers[name] = value as string | undefined;
      delete headers[`x-middleware-request-${name}`];
    }
  }
  const goesOn = Boolean(headers['x-middleware-next'] || headers['x-middleware-rewrite']);
  delete headers['x-middleware-next'];
  const resHeaders: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (['content-length', 'x-middleware-rewrite', 'x-middleware-redirect'].includes(name)) {
      continue;
    }
    if (name === 'x-middleware-set-cookie') {
      req.headers[name] = value as string;
      continue;
    }
    if (value) {
      resHeaders[name] = value;
      req.headers[name] = value as string;
    }
  }
  if (goesOn) return { finished: false, resHeaders };
  // The proxy answered: router-server.js writes it (a redirect's body is its destination).
  for (const [name, value] of Object.entries(resHeaders)) res.setHeader(name, value as string);
  res.statusCode = answer.status;
  const location = headers.location;
  if (location && answer.status > 300 && answer.status < 400) {
    res.end(String(location));
  } else if (answer.body && method !== 'HEAD') {
    res.end(Buffer.from(await answer.arrayBuffer()));
  } else {
    res.end();
  }
  return { finished: true };
}

async function handle(mounted: Mounted, req: IncomingMessage, res: ServerResponse, base: string) {
  const initUrl = `${base}${req.url ?? '/'}`;
  addRequestMeta(req, 'initURL', initUrl);
  addRequestMeta(req, 'initProtocol', 'http');
  const { pathname } = new URL(initUrl);
  const { proxy } = mounted.files;
  if (proxy?.matches(pathname)) {
    const outcome = await runProxy(proxy.proxy, req, res, initUrl);
    if (outcome.finished) return;
    for (const [name, value] of Object.entries(outcome.resHeaders)) {
      res.setHeader(name, value as string);
    }
  }
  const found = resolve(mounted.routes, pathname);
  if (!found) {
    res.statusCode = 404;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    return void res.end('<!DOCTYPE html><h1>404</h1><p>This page could not be found.</p>');
  }
  const nodeReq = new NodeNextRequest(req as never);
  const nodeRes = new NodeNextResponse(res as never);
  const request = NextRequestAdapter.fromNodeNextRequest(nodeReq, signalFromNodeResponse(res));
  let response: Response;
  try {
    response = await found.route.module.handle(request, {
      params: found.params,
      previewProps: undefined,
      renderOpts: {
        experimental: { authInterrupts: false },
        cacheComponents: false,
        isDraftMode: false,
        incrementalCache: undefined,
        waitUntil: undefined,
        onClose: (callback: () => void) => res.on('close', callback),
        onAfterTaskError: undefined,
      },
      sharedContext: { buildId: 'test-build' },
    } as unknown as Parameters<AppRouteRouteModule['handle']>[1]);
  } catch {
    // build/templates/app-route.js: a handler that throws is a bare 500.
    response = new Response(null, { status: 500 });
  }
  await sendResponse(nodeReq, nodeRes, response);
}

/** One loopback server on a free port, serving the latest mounted app. */
export async function serveNext(): Promise<NextServed> {
  let current: Mounted | undefined;
  let baseUrl = '';
  const server = createServer((req, res) => {
    if (!current) return void res.writeHead(503).end();
    handle(current, req, res, baseUrl).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(`the test host failed: ${error.message}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
  if ('__nextPatched' in unpatchedFetch) {
    throw new Error('serveNext(): load next-app before anything runs a Next.js route');
  }
  return {
    baseUrl,
    fetch: unpatchedFetch,
    mount(files) {
      current = mountFiles(files);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
