// Benchmark 8: Next.js 16 under `next start`. One template (bench/next-app/) built twice per run:
// with proxy.ts and without it (the proxy removed entirely: no proxy module, no matcher, no
// request adaptation). The `proxy` build runs twice: with logto-kit's proxy, and with
// BENCH_PROXY=empty, a proxy answering NextResponse.next(), so what Next.js costs for running
// any proxy is told apart from what logto-kit's adds. Every server holds a real session signed
// in at the dev server (tokens live a day: no refresh during the runs); the cases run
// interleaved (a b c … a b c …) on `/` (public), `/protected` (guarded by the proxy, reads no
// session in the render), `/protected/claims` (the same page plus getLogto().getClaims()) and,
// without the proxy only, `/protected/cookies` (the same page plus Next's cookies(), which
// getLogto() calls first).
// Then micro-next-proxy.ts measures the proxy function alone, in process, on the same core.
import { spawn } from 'node:child_process';
import { defaultSeed, demo, HeadlessUser, startDevServer } from '@logto-kit/dev-server';
import autocannon from 'autocannon';
import { appCore } from './harness.js';
import type { ProxyMicroResult } from './micro-next-proxy.js';
import { buildNextApp, type NextBuild, NextServer, removeBuild } from './next-app.js';

export type NextVariant = 'next-none' | 'next-empty-proxy' | 'next-kit';
export type NextRoute = '/' | '/protected' | '/protected/cookies' | '/protected/claims';

export const nextVariantLabels: Record<NextVariant, string> = {
  'next-none': '(n1) Next.js, no proxy (built without proxy.ts)',
  'next-empty-proxy': '(n2) Next.js, an empty proxy (`NextResponse.next()`)',
  'next-kit': '(n3) @logto-kit/next proxy, cookie session',
};

const buildOf: Record<NextVariant, NextBuild> = {
  'next-none': 'none',
  'next-empty-proxy': 'proxy',
  'next-kit': 'proxy',
};

/** The cases, in the order each round runs them. */
export const nextCases: [NextVariant, NextRoute][] = [
  ['next-none', '/'],
  ['next-empty-proxy', '/'],
  ['next-kit', '/'],
  ['next-none', '/protected'],
  ['next-empty-proxy', '/protected'],
  ['next-kit', '/protected'],
  ['next-none', '/protected/cookies'],
  ['next-none', '/protected/claims'],
  ['next-kit', '/protected/claims'],
];

/** One case in one round. */
export interface NextRow {
  round: number;
  variant: NextVariant;
  route: NextRoute;
  requestsPerSecond: number;
  p99Ms: number;
  /** CPU time of the `next start` process per response. */
  cpuMicrosPerRequest: number;
  non2xx: number;
  setCookieResponses: number;
  /** 200s whose body is not the page's (e.g. a signed-out render of /protected/claims). */
  wrongBodies: number;
  responses: number;
  idpRequests: number;
}

interface Options {
  basePort: number;
  duration: number;
  warmup: number;
  /** Seconds of load on every case before round 1: a fresh `next start` takes a while to warm. */
  firstWarmup: number;
  rounds: number;
  connections: number;
  log: (line: string) => void;
}

const sessionSecret = 'bench-session-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const day = 86_400;

async function signIn(baseUrl: string): Promise<string> {
  const user = new HeadlessUser({ username: demo.username, password: demo.password });
  const page = await user.visit(`${baseUrl}/auth/sign-in`);
  if (page.status !== 200) throw new Error(`sign-in ended with HTTP ${page.status} at ${page.url}`);
  const check = await user.request(`${baseUrl}/protected/claims`);
  const body = await check.text();
  if (check.status !== 200 || !body.includes('id="page"'))
    throw new Error(`${baseUrl}: not signed in after sign-in (HTTP ${check.status})`);
  return user.cookieHeader(baseUrl);
}

/** Every round's figures, and the proxy function measured alone. */
export interface NextResult {
  rounds: NextRow[];
  proxyMicro: ProxyMicroResult;
}

/** micro-next-proxy.ts in its own process, on the apps' core. */
async function proxyMicro(): Promise<ProxyMicroResult> {
  const script = new URL('./micro-next-proxy.ts', import.meta.url).pathname;
  const args = [process.execPath, '--import', 'tsx', script];
  const child = appCore
    ? spawn('taskset', ['-c', appCore, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(args[0]!, args.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  const line = output.trim().split('\n').at(-1);
  if (code !== 0 || !line) throw new Error(`micro-next-proxy.ts failed (${code})`);
  return JSON.parse(line) as ProxyMicroResult;
}

export async function runNext(options: Options): Promise<NextResult> {
  const variants = Object.keys(buildOf) as NextVariant[];
  const ports = new Map(variants.map((variant, i) => [variant, options.basePort + 1 + i]));
  const seed = defaultSeed();
  const app = seed.applications[0]!;
  app.redirectUris = [...ports.values()].map((port) => `http://localhost:${port}/auth/callback`);
  app.postLogoutRedirectUris = [];
  delete app.backchannelLogoutUri;
  // Long-lived tokens: the proxy's refresh ahead (30 s) never fires during a run.
  seed.ttl = { ...seed.ttl, idToken: day, accessToken: day };
  const dirs = new Map<NextBuild, string>();
  const servers = new Map<NextVariant, NextServer>();
  const cookies = new Map<NextVariant, string>();
  const rounds: NextRow[] = [];
  const idp = await startDevServer({ port: options.basePort, quiet: true, seed });
  try {
    for (const build of ['none', 'proxy'] as const) {
      const started = Date.now();
      dirs.set(build, await buildNextApp(build));
      options.log(`  next build (${build}): ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    for (const variant of variants) {
      const port = ports.get(variant)!;
      const server = await NextServer.start(dirs.get(buildOf[variant])!, port, {
        LOGTO_ENDPOINT: idp.endpoint,
        LOGTO_APP_ID: demo.appId,
        LOGTO_APP_SECRET: demo.appSecret,
        BASE_URL: `http://localhost:${port}`,
        SESSION_SECRET: sessionSecret,
        BENCH_PROXY: variant === 'next-empty-proxy' ? 'empty' : 'logto',
      });
      servers.set(variant, server);
      // Which proxy runs: only logto-kit's sends a signed-out visitor of /protected to sign-in.
      const signedOut = await fetch(`${server.baseUrl}/protected`, { redirect: 'manual' });
      await signedOut.body?.cancel();
      if ((signedOut.status === 303) !== (variant === 'next-kit'))
        throw new Error(`${variant}: a signed-out /protected answered ${signedOut.status}`);
      cookies.set(variant, await signIn(server.baseUrl));
    }
    let setCookies = 0;
    let wrongBodies = 0;
    let responses = 0;
    const load = (variant: NextVariant, route: NextRoute, duration: number) =>
      autocannon({
        url: `${servers.get(variant)!.baseUrl}${route}`,
        connections: options.connections,
        duration,
        headers: { cookie: cookies.get(variant)! },
        requests: [
          {
            onResponse: (status, body, _context, headers) => {
              responses++;
              if (Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'set-cookie'))
                setCookies++;
              if (status === 200 && !body.includes('id="page"')) wrongBodies++;
            },
          },
        ],
      });
    for (const [variant, route] of nextCases) await load(variant, route, options.firstWarmup);
    for (let round = 1; round <= options.rounds; round++) {
      // a b c … c b a …: a drift of the machine's load over a round falls on every case alike.
      for (const [variant, route] of round % 2 ? nextCases : [...nextCases].reverse()) {
        const server = servers.get(variant)!;
        await load(variant, route, options.warmup);
        setCookies = 0;
        wrongBodies = 0;
        responses = 0;
        idp.resetCounts();
        const before = server.cpuMicros();
        const result = await load(variant, route, options.duration);
        const cpuMicros = server.cpuMicros() - before;
        const row: NextRow = {
          round,
          variant,
          route,
          requestsPerSecond: result.requests.average,
          p99Ms: result.latency.p99,
          cpuMicrosPerRequest: responses ? cpuMicros / responses : 0,
          non2xx: result.non2xx + result.errors,
          setCookieResponses: setCookies,
          wrongBodies,
          responses,
          idpRequests: (['discovery', 'jwks', 'token', 'userinfo'] as const).reduce(
            (sum, name) => sum + idp.requestCount(name),
            0,
          ),
        };
        options.log(
          `  round ${round} ${variant} ${route}: ${row.requestsPerSecond.toFixed(0)} req/s, p99 ${row.p99Ms} ms, ${row.cpuMicrosPerRequest.toFixed(0)} µs CPU/req, non-2xx ${row.non2xx}, Set-Cookie ${row.setCookieResponses}, wrong bodies ${row.wrongBodies}`,
        );
        rounds.push(row);
      }
    }
  } finally {
    for (const server of servers.values()) await server.stop();
    await idp.close();
    for (const dir of dirs.values()) await removeBuild(dir);
  }
  options.log('  the proxy function alone, in process (micro-next-proxy.ts)');
  return { rounds, proxyMicro: await proxyMicro() };
}
