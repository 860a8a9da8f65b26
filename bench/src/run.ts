// `npm run bench`: builds the packages, then runs every benchmark against the built code; one
// table, results in bench/results/latest.json.
// Environment: BENCH_DURATION (s, default 10), BENCH_WARMUP (3), BENCH_ROUNDS (2),
// BENCH_CONNECTIONS (50), BENCH_PORT (first port, default 4100), BENCH_ONLY (comma list of
// throughput, refresh, sign-in, cookies, scale-out, api, next), BENCH_NEXT_WARMUP (s of load on
// each Next.js case before its first round, default 10).
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { apiVariantLabels } from './api-apps.js';
import { baselineOf, type Variant, variantLabels } from './apps.js';
import { runCookieSize } from './cookie-size.js';
import { AppProcess, pinRunner } from './harness.js';
import { runNext } from './next.js';
import { nextTable, summariseNext } from './next-summary.js';
import { runRefresh } from './refresh.js';
import { runResourceServer } from './resource-server.js';
import { runScaleOut } from './scale-out.js';
import { runSignInTrips } from './sign-in-trips.js';
import { runThroughput } from './throughput.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const duration = env('BENCH_DURATION', 10);
const warmup = env('BENCH_WARMUP', 3);
const rounds = env('BENCH_ROUNDS', 2);
const connections = env('BENCH_CONNECTIONS', 50);
const basePort = env('BENCH_PORT', 4100);
const nextWarmup = env('BENCH_NEXT_WARMUP', 10);
const only = new Set(
  (process.env.BENCH_ONLY ?? 'throughput,refresh,sign-in,cookies,scale-out,api,next').split(','),
);
const log = (line: string) => process.stderr.write(`${line}\n`);
const pinned = pinRunner();
log(pinned ? 'Pinned: runner on core 0, apps on core 1' : 'Not pinned (one core or no taskset)');

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model },
  settings: { duration, warmup, rounds, connections, pinned },
};
const out: string[] = [];

if (only.has('throughput')) {
  log(
    `Throughput: ${rounds} interleaved rounds of ${duration} s after ${warmup} s warm-up, ${connections} connections`,
  );
  const rows = await runThroughput(
    { basePort, duration, warmup, rounds, connections, log },
    AppProcess.start,
  );
  results.throughput = rows;
  // Each variant against the same framework's bare app: Express's (a), Fastify's (g).
  const baseline = (variant: Variant, route: string) =>
    rows.find((r) => r.variant === baselineOf(variant) && r.route === route)!;
  out.push(
    '### 1–2. Protected-route throughput (ratio to the bare app of the same framework)',
    '',
    '| variant | route | req/s | ratio | p99 ms | CPU µs/req | extra CPU µs/req | Set-Cookie responses | non-2xx | provider requests |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const base = baseline(r.variant, r.route);
      return `| ${variantLabels[r.variant]} | \`${r.route}\` | ${r.requestsPerSecond.toFixed(0)} | ${(r.requestsPerSecond / base.requestsPerSecond).toFixed(2)} | ${r.p99Ms.toFixed(1)} | ${r.cpuMicrosPerRequest.toFixed(0)} | ${(r.cpuMicrosPerRequest - base.cpuMicrosPerRequest).toFixed(0)} | ${r.setCookieResponses} of ${r.responses} | ${r.non2xx} | ${r.idpRequests} |`;
    }),
    '',
  );
}

if (only.has('refresh')) {
  log('Refresh under concurrency (strict rotation, access token TTL 2 s)');
  const rows = await runRefresh(basePort + 20, 100, log);
  results.refresh = rows;
  out.push(
    '### 3. 100 concurrent requests on an expired access token (strict rotation)',
    '',
    '| variant | token requests | ok | session alive afterwards |',
    '|---|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${variantLabels[r.variant]} | ${r.tokenRequests} | ${r.ok} / ${r.concurrent} | ${r.sessionAlive ? 'yes' : 'no'} |`,
    ),
    '',
  );
}

if (only.has('sign-in')) {
  log('Sign-in round trips');
  const rows = await runSignInTrips(basePort + 40, log);
  results.signIn = rows;
  out.push(
    '### 4. Requests from the app to the provider for one sign-in',
    '',
    '| variant | process | discovery | jwks | token | userinfo | total |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${variantLabels[r.variant]} | ${r.phase} | ${r.discovery} | ${r.jwks} | ${r.token} | ${r.userinfo} | ${r.total} |`,
    ),
    '',
  );
}

if (only.has('cookies')) {
  log('Cookie sizes');
  const rows = await runCookieSize(basePort + 60, log);
  results.cookies = rows;
  out.push(
    '### 5. Cookie bytes per request, organization tokens cached (logto-kit, cookie session)',
    '',
    '| organizations | Cookie header bytes | cookies | largest cookie bytes | largest Set-Cookie bytes | request ok |',
    '|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.organizations} | ${r.cookieHeaderBytes} | ${r.cookies} | ${r.largestCookieBytes} | ${r.largestSetCookieBytes} | ${r.ok ? 'yes' : 'no'} |`,
    ),
    '',
  );
}

if (only.has('scale-out')) {
  log('Two instances on one Redis and on a 3-master cluster, interleaved');
  const rows = await runScaleOut({
    basePort: basePort + 80,
    duration,
    warmup,
    rounds,
    connections,
    log,
  });
  results.scaleOut = rows;
  const base = rows.find((r) => r.deployment === 'one Redis');
  out.push(
    '### 6. Two instances (store + refresh lock) on one Redis and on a 3-master cluster, `/protected`',
    '',
    '| Redis | req/s | ratio | p99 ms | app CPU µs/req | Redis commands/req | Redis CPU µs/req | non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.deployment} | ${r.requestsPerSecond.toFixed(0)} | ${base ? (r.requestsPerSecond / base.requestsPerSecond).toFixed(2) : '–'} | ${r.p99Ms.toFixed(1)} | ${r.cpuMicrosPerRequest.toFixed(0)} | ${r.redisCommandsPerRequest.toFixed(2)} | ${r.redisCpuMicrosPerRequest.toFixed(1)} | ${r.non2xx} |`,
    ),
    '',
  );
}

if (only.has('api')) {
  log('Resource server: one real ES384 access token, interleaved');
  const rows = await runResourceServer({
    basePort: basePort + 100,
    duration,
    warmup,
    rounds,
    connections,
    log,
  });
  results.resourceServer = rows;
  const none = rows.find((r) => r.variant === 'api-none')!;
  const jose = rows.find((r) => r.variant === 'api-jose')!;
  out.push(
    '### 7. An API route protected by an access token (ratio to the same route without auth)',
    '',
    '| variant | req/s | ratio to no auth | ratio to bare jose | p99 ms | CPU µs/req | non-2xx | provider requests |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${apiVariantLabels[r.variant]} | ${r.requestsPerSecond.toFixed(0)} | ${(r.requestsPerSecond / none.requestsPerSecond).toFixed(2)} | ${(r.requestsPerSecond / jose.requestsPerSecond).toFixed(2)} | ${r.p99Ms.toFixed(1)} | ${r.cpuMicrosPerRequest.toFixed(0)} | ${r.non2xx} | ${r.idpRequests} |`,
    ),
    '',
  );
}

if (only.has('next')) {
  log(
    `Next.js: two builds (with and without proxy.ts), ${rounds} interleaved rounds of ${duration} s after ${warmup} s warm-up (${nextWarmup} s before the first)`,
  );
  const result = await runNext({
    basePort: basePort + 120,
    duration,
    warmup,
    firstWarmup: nextWarmup,
    rounds,
    connections,
    log,
  });
  const summary = summariseNext(result);
  results.next = { firstWarmup: nextWarmup, ...summary, rounds: result.rounds };
  out.push(...nextTable(summary));
}

const table = out.join('\n');
process.stdout.write(`\n${table}\n`);
const dir = new URL('../results/', import.meta.url);
await mkdir(dir, { recursive: true });
await writeFile(new URL('latest.json', dir), `${JSON.stringify({ ...results, table }, null, 2)}\n`);
log(`Wrote ${new URL('latest.json', dir).pathname}`);
