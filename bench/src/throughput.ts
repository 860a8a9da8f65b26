// Benchmark 1 and 2: protected-route throughput, p99, CPU per request and Set-Cookie count of
// every variant, runs interleaved (a b c d e a b c d e), plus provider requests during the runs.
import autocannon from 'autocannon';
import { type AuthVariant, baselineOf, type Variant } from './apps.js';
import {
  type AppProcess,
  type AppStats,
  benchSeed,
  settingsFor,
  signedInUser,
  startIdp,
  variants,
} from './harness.js';

export interface ThroughputRow {
  variant: Variant;
  route: '/protected' | '/';
  requestsPerSecond: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  non2xx: number;
  setCookieResponses: number;
  responses: number;
  idpRequests: number;
}

interface Options {
  basePort: number;
  duration: number;
  warmup: number;
  rounds: number;
  connections: number;
  log: (line: string) => void;
}

async function load(url: string, cookie: string, seconds: number, connections: number) {
  return autocannon({
    url,
    connections,
    duration: seconds,
    headers: cookie ? { cookie } : {},
  });
}

export async function runThroughput(
  options: Options,
  start: typeof import('./harness.js').AppProcess.start,
): Promise<ThroughputRow[]> {
  const ports = Object.fromEntries(
    variants.map((variant, i) => [variant, options.basePort + 1 + i]),
  );
  const idp = await startIdp(options.basePort, benchSeed(ports));
  const apps = new Map<Variant, AppProcess>();
  const cookies = new Map<Variant, string>();
  try {
    for (const variant of variants) {
      const app = await start(settingsFor(variant, ports[variant]!, idp));
      apps.set(variant, app);
      if (baselineOf(variant) !== variant) {
        const user = await signedInUser(variant as AuthVariant, app.baseUrl);
        cookies.set(variant, user.cookieHeader(app.baseUrl));
      }
    }
    const cases: [Variant, '/protected' | '/'][] = [
      ...variants.map((variant) => [variant, '/protected'] as [Variant, '/protected']),
      ['none', '/'],
      ['kit-cookie', '/'],
      ['fastify-none', '/'],
      ['fastify-kit', '/'],
    ];
    const samples = new Map<string, ThroughputRow[]>();
    for (let round = 1; round <= options.rounds; round++) {
      for (const [variant, route] of cases) {
        const app = apps.get(variant)!;
        const url = `${app.baseUrl}${route}`;
        const cookie = cookies.get(variant) ?? '';
        await load(url, cookie, options.warmup, options.connections);
        idp.resetCounts();
        await app.startMeasuring();
        const result = await load(url, cookie, options.duration, options.connections);
        const stats: AppStats = await app.stopMeasuring();
        const idpRequests = (
          ['discovery', 'jwks', 'token', 'userinfo', 'revocation'] as const
        ).reduce((sum, name) => sum + idp.requestCount(name), 0);
        const row: ThroughputRow = {
          variant,
          route,
          requestsPerSecond: result.requests.average,
          p99Ms: result.latency.p99,
          cpuMicrosPerRequest: stats.responses ? stats.cpuMicros / stats.responses : 0,
          non2xx: result.non2xx + result.errors,
          setCookieResponses: stats.withSetCookie,
          responses: stats.responses,
          idpRequests,
        };
        options.log(
          `  round ${round} ${variant} ${route}: ${row.requestsPerSecond.toFixed(0)} req/s, p99 ${row.p99Ms} ms, ${row.cpuMicrosPerRequest.toFixed(0)} µs CPU/req, non-2xx ${row.non2xx}, Set-Cookie ${row.setCookieResponses}`,
        );
        const key = `${variant} ${route}`;
        samples.set(key, [...(samples.get(key) ?? []), row]);
      }
    }
    return [...samples.values()].map((rows) => {
      const mean = (pick: (row: ThroughputRow) => number) =>
        rows.reduce((s, r) => s + pick(r), 0) / rows.length;
      const sum = (pick: (row: ThroughputRow) => number) => rows.reduce((s, r) => s + pick(r), 0);
      return {
        variant: rows[0]!.variant,
        route: rows[0]!.route,
        requestsPerSecond: mean((r) => r.requestsPerSecond),
        p99Ms: mean((r) => r.p99Ms),
        cpuMicrosPerRequest: mean((r) => r.cpuMicrosPerRequest),
        non2xx: sum((r) => r.non2xx),
        setCookieResponses: sum((r) => r.setCookieResponses),
        responses: sum((r) => r.responses),
        idpRequests: sum((r) => r.idpRequests),
      };
    });
  } finally {
    for (const app of apps.values()) await app.stop();
    await idp.close();
  }
}
