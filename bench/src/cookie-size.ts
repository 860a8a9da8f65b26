// Benchmark 5: bytes of cookies a browser sends per request for a user in 1, 10 and 50
// organizations, with an organization token fetched for each, and the largest single cookie.
import { defaultSeed, type SeedInput } from '@logto-kit/dev-server';
import { AppProcess, benchSeed, settingsFor, signedInUser, startIdp } from './harness.js';

export interface CookieSizeRow {
  organizations: number;
  cookieHeaderBytes: number;
  cookies: number;
  largestCookieBytes: number;
  largestSetCookieBytes: number;
  ok: boolean;
}

export async function runCookieSize(
  basePort: number,
  log: (line: string) => void,
): Promise<CookieSizeRow[]> {
  const port = basePort + 1;
  const organizations = Array.from({ length: 50 }, (_, i) => ({
    id: `org-${String(i + 1).padStart(2, '0')}`,
    name: `Organization ${i + 1}`,
    members: [{ userId: 'demo-user-01', roles: ['member'] }],
  }));
  const base = defaultSeed();
  const seed: SeedInput = {
    ...benchSeed({ 'kit-cookie': port }),
    organizationRoles: base.organizationRoles,
    organizations,
  };
  const idp = await startIdp(basePort, seed);
  const rows: CookieSizeRow[] = [];
  try {
    const app = await AppProcess.start(
      settingsFor('kit-cookie', port, idp, ['urn:logto:scope:organizations', 'read:projects']),
    );
    try {
      for (const count of [1, 10, 50]) {
        const user = await signedInUser('kit-cookie', app.baseUrl);
        const ids = organizations.slice(0, count).map((org) => org.id);
        const response = await user.request(
          `${app.baseUrl}/api/organizations?ids=${ids.join(',')}`,
        );
        const ok = response.status === 200;
        const setCookies = response.headers.getSetCookie();
        await response.body?.cancel();
        const header = user.cookieHeader(app.baseUrl);
        const cookies = header.split('; ').filter(Boolean);
        const row: CookieSizeRow = {
          organizations: count,
          cookieHeaderBytes: Buffer.byteLength(header),
          cookies: cookies.length,
          largestCookieBytes: Math.max(...cookies.map((c) => Buffer.byteLength(c))),
          largestSetCookieBytes: Math.max(0, ...setCookies.map((c) => Buffer.byteLength(c))),
          ok,
        };
        log(`  ${count} organizations: ${JSON.stringify(row)}`);
        rows.push(row);
      }
    } finally {
      await app.stop();
    }
  } finally {
    await idp.close();
  }
  return rows;
}
