import { parseArgs } from 'node:util';
import { defaultSeed, loadSeedFile, type Seed, type SeedInput } from './seed.js';

// oidc-provider 9 warns at import that Node 20 is outside its supported runtimes; logto-dev runs
// and is tested on Node 20 (see `engines`), so the CLI keeps that one line out of a quick start's
// console. Every other warning passes through.
const { startDevServer } = await (async () => {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('oidc-provider WARNING: Unsupported runtime')) warn(...args);
  };
  try {
    return await import('./server.js');
  } finally {
    console.warn = warn;
  }
})();

const usage = `Usage: logto-dev [options]

A local, Logto-compatible OpenID Connect identity provider for development and tests.

Options:
  --port <n>          port to listen on (loopback only)          default 3001
  --endpoint <url>    public URL when behind a proxy (issuer = <url>/oidc)
  --seed <file>       JSON seed: apps, users, resources, organizations
  --app-url <url>     base URL of the app the built-in seed serves  default http://localhost:3000
  --rotation <mode>   refresh token rotation: logto | strict       default from the seed (logto)
  --no-backchannel-logout
                      the built-in seed registers no back-channel logout URI (for an
                      app that keeps sessions in cookies and cannot serve one)
  -h, --help          show this help`;

function fail(message: string): never {
  process.stderr.write(`logto-dev: ${message}\n`);
  process.exit(2);
}

function banner(issuer: string, endpoint: string, seed: Seed): string {
  const app = seed.applications[0]!;
  const user = seed.users[0];
  const lines = [
    '',
    `  logto-dev is running — a local Logto-compatible identity provider (not for production)`,
    '',
    `  Endpoint   (LOGTO_ENDPOINT)    ${endpoint}`,
    `  Issuer                        ${issuer}`,
    `  App ID     (LOGTO_APP_ID)      ${app.id}`,
    ...(app.secret ? [`  App secret (LOGTO_APP_SECRET)  ${app.secret}`] : []),
    `  Redirect URI                  ${app.redirectUris.join(', ')}`,
    `  Back-channel logout URI       ${app.backchannelLogoutUri ?? 'none'}`,
    ...(user ? [`  Demo user                     ${user.username} / ${user.password}`] : []),
    ...seed.resources.map(
      (r) => `  API resource                  ${r.indicator} (${r.scopes.join(', ')})`,
    ),
    `  Refresh token rotation        ${seed.refreshTokenRotation}`,
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        endpoint: { type: 'string' },
        seed: { type: 'string' },
        'app-url': { type: 'string' },
        rotation: { type: 'string' },
        'no-backchannel-logout': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const port = values.port === undefined ? 3001 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be a port number, got "${values.port}"`);
  const rotation = values.rotation as string | undefined;
  if (rotation !== undefined && rotation !== 'logto' && rotation !== 'strict') {
    fail(`--rotation must be "logto" or "strict", got "${rotation}"`);
  }
  const appUrl = values['app-url'] as string | undefined;
  if (appUrl !== undefined && !URL.canParse(appUrl))
    fail(`--app-url must be a URL, got "${appUrl}"`);

  let seed: SeedInput | Seed;
  try {
    seed = values.seed
      ? await loadSeedFile(String(values.seed))
      : defaultSeed({
          ...(appUrl && { appBaseUrl: appUrl }),
          backchannelLogout: !values['no-backchannel-logout'],
        });
  } catch (error) {
    fail((error as Error).message);
  }
  if (rotation) seed = { ...seed, refreshTokenRotation: rotation };

  try {
    const idp = await startDevServer({
      port,
      seed,
      quiet: false,
      ...(values.endpoint ? { endpoint: String(values.endpoint) } : {}),
    });
    process.stdout.write(`${banner(idp.issuer, idp.endpoint, idp.seed)}\n`);
    const stop = (): void => {
      void idp.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      // `npm start` passes LOGTO_DEV_PORT as --port: name both, so either reader knows what to set.
      fail(
        `port ${port} is in use: pick another with --port, or with LOGTO_DEV_PORT under npm start (e.g. LOGTO_DEV_PORT=${port + 100} npm start)`,
      );
    }
    fail((error as Error).message);
  }
}

await main();
