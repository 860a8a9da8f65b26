// Benchmark 3: 100 concurrent requests of one user whose access token has expired, against a
// provider with strict refresh-token rotation and reuse detection. Counts token requests, ok
// answers, and whether the session still works afterwards (after another expiry). The last row
// runs two app processes behind a round-robin load balancer, sharing one Redis.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DevServer } from '@logto-kit/dev-server';
// Test helpers from @logto-kit/testing: a redis-server it starts, a round-robin balancer.
import { startLoadBalancer } from '@logto-kit/testing/load-balancer';
import { RedisServer, redisServerPath } from '@logto-kit/testing/redis-server';
import type { AuthVariant, Variant } from './apps.js';
import { AppProcess, benchSeed, settingsFor, signedInUser, startIdp } from './harness.js';

export interface RefreshRow {
  variant: Variant;
  concurrent: number;
  tokenRequests: number;
  ok: number;
  sessionAlive: boolean;
}

const accessTokenTtl = 2;

async function measure(
  variant: AuthVariant,
  baseUrl: string,
  idp: DevServer,
  concurrent: number,
): Promise<RefreshRow> {
  const user = await signedInUser(variant, baseUrl);
  await sleep((accessTokenTtl + 0.5) * 1000);
  idp.resetCounts();
  const responses = await Promise.all(
    Array.from({ length: concurrent }, () => user.request(`${baseUrl}/api/token`)),
  );
  const ok = responses.filter((r) => r.status === 200).length;
  await Promise.all(responses.map((r) => r.body?.cancel()));
  const tokenRequests = idp.requestCount('token');
  // Alive = after the access token expires again, the next request still gets one.
  await sleep((accessTokenTtl + 0.5) * 1000);
  const later = await user.request(`${baseUrl}/api/token`);
  const sessionAlive = later.status === 200;
  await later.body?.cancel();
  return { variant, concurrent, tokenRequests, ok, sessionAlive };
}

/** Two `kit-redis` app processes behind a load balancer on `port`, sharing a fresh Redis. */
async function measureTwoInstances(
  port: number,
  idp: DevServer,
  concurrent: number,
): Promise<RefreshRow> {
  const redis = await RedisServer.start();
  const lb = await startLoadBalancer(port);
  const apps: AppProcess[] = [];
  try {
    for (const instancePort of [port + 1, port + 2]) {
      const settings = settingsFor('kit-redis', instancePort, idp);
      apps.push(await AppProcess.start({ ...settings, baseUrl: lb.url, redisUrl: redis.url }));
    }
    lb.route([port + 1, port + 2]);
    return await measure('kit-redis', lb.url, idp, concurrent);
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await lb.close();
    await redis.stop();
  }
}

export async function runRefresh(
  basePort: number,
  concurrent: number,
  log: (line: string) => void,
): Promise<RefreshRow[]> {
  const tested: Exclude<AuthVariant, 'kit-redis'>[] = [
    'kit-cookie',
    'kit-memory',
    'logto-express',
    'eoidc',
  ];
  const ports: Record<string, number> = Object.fromEntries(
    tested.map((variant, i) => [variant, basePort + 1 + i]),
  );
  ports['kit-redis'] = basePort + 10; // the load balancer; the two instances take the next two
  const idp = await startIdp(
    basePort,
    benchSeed(ports, {
      refreshTokenRotation: 'strict',
      ttl: {
        idToken: 3600,
        accessToken: accessTokenTtl,
        refreshToken: 3600,
        session: 3600,
        grant: 3600,
      },
    }),
  );
  const rows: RefreshRow[] = [];
  const report = (row: RefreshRow): void => {
    log(
      `  ${row.variant}: ${row.tokenRequests} token requests, ${row.ok}/${row.concurrent} ok, session alive: ${row.sessionAlive}`,
    );
    rows.push(row);
  };
  try {
    for (const variant of tested) {
      const app = await AppProcess.start(settingsFor(variant, ports[variant]!, idp));
      try {
        report(await measure(variant, app.baseUrl, idp, concurrent));
      } finally {
        await app.stop();
      }
    }
    if (redisServerPath) report(await measureTwoInstances(ports['kit-redis']!, idp, concurrent));
    else log('  kit-redis: skipped (redis-server not found)');
  } finally {
    await idp.close();
  }
  return rows;
}
