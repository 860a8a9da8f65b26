// Benchmark 6: an API route protected by an access token, interleaved across the variants of
// api-apps.ts on the same real ES384 token; asserts zero provider requests during the runs.
import { defaultSeed, demo } from '@logto-kit/dev-server';
import { userTokens } from '@logto-kit/testing/access-tokens';
import autocannon from 'autocannon';
import { type ApiVariant, apiVariants } from './api-apps.js';
import { AppProcess, startIdp } from './harness.js';

export interface ApiRow {
  variant: ApiVariant;
  requestsPerSecond: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  non2xx: number;
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

export async function runResourceServer(options: Options): Promise<ApiRow[]> {
  const idp = await startIdp(options.basePort, defaultSeed());
  const apps = new Map<ApiVariant, AppProcess>();
  try {
    const token = (await userTokens(idp)).api;
    const headers = { authorization: `Bearer ${token}` };
    for (const [i, variant] of apiVariants.entries()) {
      const port = options.basePort + 1 + i;
      const settings = {
        variant,
        endpoint: idp.endpoint,
        resource: demo.resource,
        jwks: idp.publicKeys,
        port,
        baseUrl: `http://localhost:${port}`,
      };
      const app = await AppProcess.start(settings as never);
      apps.set(variant, app);
      // Warm: discovery and keys fetched, and the answer checked.
      const check = await fetch(`${app.baseUrl}/api/notes`, { headers });
      if (check.status !== 200) throw new Error(`${variant}: HTTP ${check.status} on the token`);
    }
    const samples = new Map<ApiVariant, ApiRow[]>();
    for (let round = 1; round <= options.rounds; round++) {
      for (const variant of apiVariants) {
        const app = apps.get(variant)!;
        const url = `${app.baseUrl}/api/notes`;
        const opts = { url, connections: options.connections, headers };
        await autocannon({ ...opts, duration: options.warmup });
        idp.resetCounts();
        await app.startMeasuring();
        const result = await autocannon({ ...opts, duration: options.duration });
        const stats = await app.stopMeasuring();
        const row: ApiRow = {
          variant,
          requestsPerSecond: result.requests.average,
          p99Ms: result.latency.p99,
          cpuMicrosPerRequest: stats.responses ? stats.cpuMicros / stats.responses : 0,
          non2xx: result.non2xx + result.errors,
          idpRequests: idp.requestCount('discovery') + idp.requestCount('jwks'),
        };
        options.log(
          `  round ${round} ${variant}: ${row.requestsPerSecond.toFixed(0)} req/s, p99 ${row.p99Ms} ms, ${row.cpuMicrosPerRequest.toFixed(0)} µs CPU/req, non-2xx ${row.non2xx}, provider requests ${row.idpRequests}`,
        );
        samples.set(variant, [...(samples.get(variant) ?? []), row]);
      }
    }
    return [...samples.values()].map((rows) => {
      const mean = (pick: (row: ApiRow) => number) =>
        rows.reduce((s, r) => s + pick(r), 0) / rows.length;
      const sum = (pick: (row: ApiRow) => number) => rows.reduce((s, r) => s + pick(r), 0);
      return {
        variant: rows[0]!.variant,
        requestsPerSecond: mean((r) => r.requestsPerSecond),
        p99Ms: mean((r) => r.p99Ms),
        cpuMicrosPerRequest: mean((r) => r.cpuMicrosPerRequest),
        non2xx: sum((r) => r.non2xx),
        idpRequests: sum((r) => r.idpRequests),
      };
    });
  } finally {
    for (const app of apps.values()) await app.stop();
    await idp.close();
  }
}
