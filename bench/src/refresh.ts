// Benchmark 3: 100 concurrent requests of one user whose access token has expired, against a
// provider with strict refresh-token rotation and reuse detection. Counts token requests, ok
// answers, and whether the session still works afterwards (after another expiry).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Variant } from './apps.js';
import { AppProcess, benchSeed, settingsFor, signedInUser, startIdp } from './harness.js';

export interface RefreshRow {
  variant: Variant;
  concurrent: number;
  tokenRequests: number;
  ok: number;
  sessionAlive: boolean;
}

const accessTokenTtl = 2;

export async function runRefresh(
  basePort: number,
  concurrent: number,
  log: (line: string) => void,
): Promise<RefreshRow[]> {
  const tested: Exclude<Variant, 'none'>[] = ['kit-cookie', 'kit-memory', 'logto-express', 'eoidc'];
  const ports = Object.fromEntries(tested.map((variant, i) => [variant, basePort + 1 + i]));
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
  try {
    for (const variant of tested) {
      const app = await AppProcess.start(settingsFor(variant, ports[variant]!, idp));
      try {
        const user = await signedInUser(variant, app.baseUrl);
        await sleep((accessTokenTtl + 0.5) * 1000);
        idp.resetCounts();
        const responses = await Promise.all(
          Array.from({ length: concurrent }, () => user.request(`${app.baseUrl}/api/token`)),
        );
        const ok = responses.filter((r) => r.status === 200).length;
        await Promise.all(responses.map((r) => r.body?.cancel()));
        const tokenRequests = idp.requestCount('token');
        // Alive = after the access token expires again, the next request still gets one.
        await sleep((accessTokenTtl + 0.5) * 1000);
        const later = await user.request(`${app.baseUrl}/api/token`);
        const sessionAlive = later.status === 200;
        await later.body?.cancel();
        const row = { variant, concurrent, tokenRequests, ok, sessionAlive };
        log(
          `  ${variant}: ${tokenRequests} token requests, ${ok}/${concurrent} ok, session alive: ${sessionAlive}`,
        );
        rows.push(row);
      } finally {
        await app.stop();
      }
    }
  } finally {
    await idp.close();
  }
  return rows;
}
