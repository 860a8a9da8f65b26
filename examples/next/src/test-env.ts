// Test fixture: the Next.js example built once per test run (`next build`), then served by
// `next start` on a free loopback port, next to a dev server with that app's redirect URIs.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { defaultSeed, demo, type SeedInput, startDevServer } from '@logto-kit/dev-server';
import type { ExampleEnv } from '@logto-kit/example-shared/testing';

const here = new URL('..', import.meta.url).pathname;
const nextBin = new URL('../../../node_modules/next/dist/bin/next', import.meta.url).pathname;
/** The session secret of every test instance: a test decrypts the cookie to look for tokens. */
export const sessionSecret = 'next-example-test-secret-0123456789abcdef';

let built: Promise<void> | undefined;

/** `next build`, once per process (about a minute on two cores); every test reuses it. */
export function buildOnce(): Promise<void> {
  built ??= new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build', '--webpack'], {
      cwd: here,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (${code}):\n${output}`)),
    );
  });
  return built;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: 'manual' });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}

/** Options of one test instance. */
export interface NextExampleOptions {
  /** Changes to the dev server's seed (strict rotation, short token lifetimes). */
  seed?: (seed: SeedInput) => SeedInput;
  /** LOGTO_REFRESH_AHEAD: seconds before expiry at which the proxy refreshes. */
  refreshAhead?: number;
  /** More environment for the app (SESSION_STORE). */
  env?: Record<string, string>;
}

/**
 * The built example under `next start` (spawned as `node …/next start`, so killing that PID
 * stops the server), with the dev server; the auth routes live under `/auth`.
 */
export async function startExample(options: NextExampleOptions = {}): Promise<ExampleEnv> {
  await buildOnce();
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const seed = defaultSeed({ appBaseUrl: baseUrl });
  const idp = await startDevServer({
    port: 0,
    quiet: true,
    seed: options.seed ? options.seed(seed) : seed,
  });
  const child: ChildProcess = spawn(
    process.execPath,
    [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: here,
      stdio: 'ignore',
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        NODE_ENV: 'production',
        PORT: String(port),
        LOGTO_ENDPOINT: idp.endpoint,
        LOGTO_APP_ID: demo.appId,
        LOGTO_APP_SECRET: demo.appSecret,
        LOGTO_RESOURCE: demo.resource,
        LOGTO_SCOPES: 'read write read:projects',
        SESSION_SECRET: sessionSecret,
        LOGTO_REFRESH_AHEAD: String(options.refreshAhead ?? 30),
        ...options.env,
      },
    },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };
  for (let attempt = 0; !(await answers(`${baseUrl}/`)); attempt++) {
    if (attempt > 240 || child.exitCode !== null) {
      await stop();
      await idp.close();
      throw new Error('next start did not answer within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    idp,
    baseUrl,
    authPrefix: '/auth',
    close: async () => {
      await stop();
      await idp.close();
    },
  };
}
