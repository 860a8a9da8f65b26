// `EXAMPLE=next npm start`: checks the settings as the other examples do (one line and exit 1
// when one is wrong), then runs `next dev` on PORT and says "ready" to scripts/start.mjs once
// the app answers. `npm run build:app -w @logto-kit/example-next`, then `next start` in examples/next, runs it
// for production.
import { spawn } from 'node:child_process';
import { ConfigError, readConfig } from '@logto-kit/example-shared';

try {
  process.loadEnvFile();
} catch {
  // No .env file: the environment alone is fine.
}
let config: ReturnType<typeof readConfig>;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Configuration error: ${error.message}`);
  process.exit(1);
}
if (config.generatedSessionSecret) {
  console.log(
    'Note: SESSION_SECRET is not set; using a random one for this run (local provider only). Sessions end when the app restarts.',
  );
}

const nextBin = new URL('../../../node_modules/next/dist/bin/next', import.meta.url).pathname;
const child = spawn(process.execPath, [nextBin, 'dev', '--webpack', '-p', String(config.port)], {
  cwd: new URL('..', import.meta.url).pathname,
  stdio: 'inherit',
  env: {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    // The proxy and the pages must share one secret.
    SESSION_SECRET: config.sessionSecret,
  },
});
child.on('exit', (code) => process.exit(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => child.kill(signal));
}

// `next dev` compiles a page on its first request: ask for one, then say so.
for (let attempt = 0; attempt < 600; attempt++) {
  try {
    const response = await fetch(`http://localhost:${config.port}/`, { redirect: 'manual' });
    await response.body?.cancel();
    if (response.status < 500) {
      console.log(
        `\n  Logto Next.js sample: ${config.baseUrl}  (Logto endpoint ${config.endpoint})\n`,
      );
      process.send?.('ready');
      break;
    }
  } catch {
    // not listening yet
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
