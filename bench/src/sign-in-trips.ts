// Benchmark 4: requests from the app to the provider for one full sign-in, in a fresh process
// (cold: discovery and keys not fetched yet) and for the next user (warm).
import { demo, HeadlessUser } from '@logto-kit/dev-server';
import { type AuthVariant, signInPath, type Variant } from './apps.js';
import { AppProcess, benchSeed, settingsFor, startIdp } from './harness.js';

export interface SignInTripsRow {
  variant: Variant;
  phase: 'cold' | 'warm';
  discovery: number;
  jwks: number;
  token: number;
  userinfo: number;
  total: number;
}

const appRoutes = [
  'discovery',
  'jwks',
  'token',
  'userinfo',
  'revocation',
  'introspection',
] as const;

export async function runSignInTrips(
  basePort: number,
  log: (line: string) => void,
): Promise<SignInTripsRow[]> {
  const tested: AuthVariant[] = ['kit-cookie', 'logto-express', 'eoidc'];
  const ports = Object.fromEntries(tested.map((variant, i) => [variant, basePort + 1 + i]));
  const idp = await startIdp(basePort, benchSeed(ports));
  const rows: SignInTripsRow[] = [];
  try {
    for (const variant of tested) {
      const app = await AppProcess.start(settingsFor(variant, ports[variant]!, idp));
      try {
        for (const phase of ['cold', 'warm'] as const) {
          idp.resetCounts();
          const user = new HeadlessUser({ username: demo.username, password: demo.password });
          const page = await user.visit(`${app.baseUrl}${signInPath[variant]}`);
          if (page.status !== 200)
            throw new Error(`${variant}: sign-in ended with HTTP ${page.status}`);
          const counts = Object.fromEntries(
            appRoutes.map((route) => [route, idp.requestCount(route)]),
          );
          const row: SignInTripsRow = {
            variant,
            phase,
            discovery: counts.discovery ?? 0,
            jwks: counts.jwks ?? 0,
            token: counts.token ?? 0,
            userinfo: counts.userinfo ?? 0,
            total: Object.values(counts).reduce((a, b) => a + b, 0),
          };
          log(`  ${variant} ${phase}: ${JSON.stringify(counts)}`);
          rows.push(row);
        }
      } finally {
        await app.stop();
      }
    }
  } finally {
    await idp.close();
  }
  return rows;
}
