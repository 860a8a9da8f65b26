// Test fixture: the Next.js example built once per test run (`next build`), then served by
// `next start` on free loopback ports (one instance, or several behind a load balancer), next
// to a dev server with that app's redirect URIs.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { defaultSeed, demo, type SeedInput, startDevServer } from '@logto-kit/dev-server';
import type { ExampleEnv } from '@logto-kit/example-shared/testing';
import { type LoadBalancer, startLoadBalancer } from '@logto-kit/testing/load-balancer';

const here = new URL('..', import.meta.url).pathname;
const nextBin = new URL('../../../node_modules/next/dist/bin/next', import.meta.url).pathname;
/** The session secret of every test instance: a test decrypts the cookie to look for tokens. */
export const sessionSecret = 'next-example-test-secret-0123456789abcdef';

let built: Promise<void> | undefined;

/** What the build is made of: the app and the workspace sources it compiles in. */
const sources = ['app', 'lib', 'proxy.ts', 'next.config.ts', 'package.json'].map((path) =>
  join(here, path),
);
for (const pkg of ['core', 'next']) sources.push(join(here, '../../packages', pkg, 'src'));
sources.push(join(here, '../shared/src'));

/** A hash of every source file's path and content (tests excluded). */
function sourceStamp(): string {
  const hash = createHash('sha256');
  const add = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) add(join(path, entry));
    } else if (!path.endsWith('.test.ts')) {
      hash.update(path).update(readFileSync(path));
    }
  };
  for (const source of sources) add(source);
  return hash.digest('hex');
}

/**
 * `next build`, at most once per test run (one to three minutes on two cores): every test and
 * every test file reuses it. A build whose sources have not changed since is kept (a stamp in
 * `.next/`); a lock directory keeps two test processes from building at once.
 */
export function buildOnce(): Promise<void> {
  built ??= (async () => {
    const lock = join(here, '.next-build.lock');
    for (let waited = 0; ; waited += 500) {
      try {
        mkdirSync(lock);
        break;
      } catch {
        // A lock left by a killed test run is stale after 10 minutes.
        if ((statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) < Date.now() - 600_000) {
          rmSync(lock, { recursive: true, force: true });
          continue;
        }
        if (waited > 900_000) throw new Error(`another next build held ${lock} for 15 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    try {
      const stamp = sourceStamp();
      const stampFile = join(here, '.next', 'logto-kit-test-stamp');
      if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
      await nextBuild();
      writeFileSync(stampFile, stamp);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  })();
  return built;
}

function nextBuild(): Promise<void> {
  return new Promise<void>((resolve, reject) => {
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
  /** LOGTO_PREFETCH: whether the proxy gets the configured tokens a session lacks. Default true. */
  prefetch?: boolean;
  /** More environment for the app (SESSION_STORE). */
  env?: Record<string, string>;
  /**
   * How many `next start` instances of the one build serve the app: with more than one, they
   * sit behind a round-robin load balancer whose URL is the app's base URL. Default 1.
   */
  instances?: number;
}

/** The example as {@link startExample} started it. */
export interface NextExampleEnv extends ExampleEnv {
  /** Each instance's own URL (the load balancer's base URL sends requests to each in turn). */
  readonly instanceUrls: readonly string[];
  /** Which instances (by index) the load balancer sends requests to from now on. */
  useInstances(indexes: readonly number[]): void;
  /** Cuts (`false`) or restores (`true`) the app's connection to the provider. */
  providerReachable(reachable: boolean): void;
}

/**
 * A TCP link to the provider on its own loopback port (the provider's public endpoint): while
 * cut, every connection is reset at once, as when the provider is down.
 */
async function startLink() {
  let port = 0;
  let up = true;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (!up || port === 0) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    target: (to: number) => {
      port = to;
    },
    reachable: (reachable: boolean) => {
      up = reachable;
      if (!reachable) for (const socket of open) socket.resetAndDestroy();
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The built example under `next start` (spawned as `node …/next start`, so killing that PID
 * stops the server), with the dev server; the auth routes live under `/auth`. With `instances`
 * above 1, several `next start` processes of the same build behind a load balancer.
 */
export async function startExample(options: NextExampleOptions = {}): Promise<NextExampleEnv> {
  await buildOnce();
  const count = options.instances ?? 1;
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const balancer: LoadBalancer | undefined = count > 1 ? await startLoadBalancer() : undefined;
  const baseUrl = balancer?.url ?? `http://localhost:${ports[0]}`;
  const seed = defaultSeed({ appBaseUrl: baseUrl });
  // The app reaches the provider through a link the test can cut (an outage).
  const link = await startLink();
  const idp = await startDevServer({
    port: 0,
    quiet: true,
    endpoint: link.url,
    seed: options.seed ? options.seed(seed) : seed,
  });
  link.target(idp.port);
  const children = ports.map((port) =>
    spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: here,
      stdio: 'ignore',
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        NODE_ENV: 'production',
        PORT: String(port),
        LOGTO_BASE_URL: baseUrl,
        LOGTO_ENDPOINT: idp.endpoint,
        LOGTO_APP_ID: demo.appId,
        LOGTO_APP_SECRET: demo.appSecret,
        LOGTO_RESOURCE: demo.resource,
        LOGTO_SCOPES: 'read write read:projects',
        LOGTO_M2M_APP_ID: demo.machineAppId,
        LOGTO_M2M_APP_SECRET: demo.machineAppSecret,
        SESSION_SECRET: sessionSecret,
        LOGTO_REFRESH_AHEAD: String(options.refreshAhead ?? 30),
        LOGTO_PREFETCH: options.prefetch === false ? '0' : '1',
        ...options.env,
      },
    }),
  );
  const stop = async (child: ChildProcess) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };
  const close = async () => {
    await Promise.all(children.map(stop));
    await balancer?.close();
    await idp.close();
    await link.close();
  };
  const instanceUrls = ports.map((port) => `http://localhost:${port}`);
  for (const [index, url] of instanceUrls.entries()) {
    for (let attempt = 0; !(await answers(`${url}/`)); attempt++) {
      if (attempt > 240 || children[index]?.exitCode !== null) {
        await close();
        throw new Error('next start did not answer within 60 s');
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  balancer?.route(ports);
  const useInstances = (indexes: readonly number[]) =>
    balancer?.route(indexes.map((index) => ports[index] as number));
  return {
    idp,
    baseUrl,
    authPrefix: '/auth',
    instanceUrls,
    useInstances,
    providerReachable: link.reachable,
    close,
  };
}

/** Seconds: the access tokens of {@link strictShortLived}. */
export const shortTtl = 5;

/** Strict rotation, and every access token (default, API resource, organization) short-lived. */
export const strictShortLived = (seed: SeedInput): SeedInput => ({
  ...seed,
  refreshTokenRotation: 'strict',
  ttl: { ...seed.ttl, accessToken: shortTtl },
  resources: seed.resources?.map((resource) => ({ ...resource, accessTokenTtl: shortTtl })),
});

/** One claim of the claims table a page shows. */
export function claimOf(html: string, name: string): string | undefined {
  return new RegExp(`<th>${name}</th><td><code>([^<]*)</code>`).exec(html)?.[1];
}
