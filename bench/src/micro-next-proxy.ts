// The proxy function of @logto-kit/next in process, without Next.js around it: CPU per call for
// a signed-in request to a protected path and to a public one, against a proxy that only
// answers NextResponse.next() (which every proxy does for a page it lets through), with the
// Request built the same way for both; and getLogto().getClaims()'s own work in a render (the
// steps of withRequest in packages/next/src/deliver.ts, on core's LogtoWeb, without Next's
// cookies(), which needs a Next.js request). Medians of interleaved rounds; one JSON line on
// stdout.
// Run by next.ts on core 1 as part of `BENCH_ONLY=next`; alone:
//   npm run build && taskset -c 1 node --import tsx bench/src/micro-next-proxy.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogtoWeb } from '@logto-kit/core';
import { defaultSeed, demo, HeadlessUser, startDevServer } from '@logto-kit/dev-server';
import { createLogto, type LogtoNextOptions } from '@logto-kit/next';
import { NextResponse } from 'next/server.js';

export interface ProxyMicroResult {
  /** CPU µs per call, medians over the rounds. */
  emptyMicros: number;
  protectedMicros: number;
  publicMicros: number;
  /** getClaims()'s work without Next's cookies(). */
  claimsMicros: number;
  rounds: number;
  callsPerRound: number;
}

const server = createServer();
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
const idp = await startDevServer({
  port: 0,
  quiet: true,
  seed: defaultSeed({ appBaseUrl: baseUrl }),
});
const options: LogtoNextOptions = {
  endpoint: idp.endpoint,
  appId: demo.appId,
  appSecret: demo.appSecret,
  baseUrl,
  session: {
    secret: 'bench-session-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    touchInterval: 43_200,
  },
};
const logto = createLogto(options);
const web = new LogtoWeb<Request>({ ...options, routes: logto.routes });
// The auth routes, so a headless user can sign in.
server.on('request', async (req, res) => {
  const response = await logto.handlers.GET(
    new Request(new URL(req.url ?? '/', baseUrl), {
      headers: { cookie: req.headers.cookie ?? '' },
    }),
  );
  res.writeHead(response.status, {
    ...Object.fromEntries(response.headers),
    'set-cookie': response.headers.getSetCookie(),
  });
  res.end(Buffer.from(await response.arrayBuffer()));
});
const user = new HeadlessUser({ username: demo.username, password: demo.password });
await user.visit(`${baseUrl}/auth/sign-in`);
const cookie = user.cookieHeader(`${baseUrl}/`);

const proxy = logto.proxy({ protect: ['/protected'] });
const empty = async (_request: Request): Promise<Response> => NextResponse.next();

async function call(handler: (request: Request) => Promise<Response>, path: string) {
  const response = await handler(
    new Request(`${baseUrl}${path}`, { headers: { cookie, accept: 'text/html' } }),
  );
  // Let through, nothing written: what a signed-in page request gets.
  if (response.headers.get('x-middleware-next') !== '1' || response.headers.has('set-cookie'))
    throw new Error(`${path}: the proxy did not let a signed-in request through unchanged`);
}

/** What withRequest does for getClaims(), once Next's cookies() has given the Cookie header. */
async function claims(_request: Request): Promise<Response> {
  const request = web.request({ method: 'GET', target: '/', cookie });
  const spent = await request.client.getRefreshToken();
  const found = await request.signedInClaims();
  const { cookies } = await request.finish(200);
  if (!found || !spent || cookies.length > 0) throw new Error('getClaims(): not signed in');
  return NextResponse.next();
}

const cases = [
  ['emptyMicros', empty, '/protected'],
  ['protectedMicros', proxy, '/protected'],
  ['publicMicros', proxy, '/'],
  ['claimsMicros', claims, '/protected/claims'],
] as const;
const rounds = 5;
const callsPerRound = 20_000;
for (const [, handler, path] of cases)
  for (let i = 0; i < callsPerRound; i++) await call(handler, path);
const samples = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  for (const [name, handler, path] of cases) {
    const start = process.cpuUsage();
    for (let i = 0; i < callsPerRound; i++) await call(handler, path);
    const used = process.cpuUsage(start);
    samples.set(name, [...(samples.get(name) ?? []), (used.user + used.system) / callsPerRound]);
  }
}
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const result: ProxyMicroResult = {
  emptyMicros: median(samples.get('emptyMicros')!),
  protectedMicros: median(samples.get('protectedMicros')!),
  publicMicros: median(samples.get('publicMicros')!),
  claimsMicros: median(samples.get('claimsMicros')!),
  rounds,
  callsPerRound,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
server.close();
await idp.close();
