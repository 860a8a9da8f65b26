// Shared pieces of the benchmark: app processes, the dev server with the right seed, sign-in.
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  type SeedInput,
  startDevServer,
} from '@logto-kit/dev-server';
import {
  type AppSettings,
  type AuthVariant,
  baselineOf,
  callbackPath,
  signInPath,
  type Variant,
} from './apps.js';

/**
 * On a machine with two or more cores and `taskset`, the benchmark runs pinned: this process
 * (load generator and dev server) on core 0, each app on core 1, so they never compete.
 */
export const canPin = os.cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
/** The core every benchmarked app runs on, when pinned. */
export const appCore = canPin ? '1' : undefined;

/** Pins this process (every thread) to core 0; says whether it could. */
export function pinRunner(): boolean {
  return canPin && spawnSync('taskset', ['-a', '-pc', '0', String(process.pid)]).status === 0;
}

export const variants: Variant[] = [
  'none',
  'kit-cookie',
  'kit-memory',
  'logto-express',
  'eoidc',
  'fastify-none',
  'fastify-kit',
];

export interface AppStats {
  cpuMicros: number;
  responses: number;
  withSetCookie: number;
}

export class AppProcess {
  private constructor(
    readonly variant: Variant,
    readonly baseUrl: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(settings: AppSettings & { port: number }): Promise<AppProcess> {
    const execArgv = [
      // The apps run the built packages (dist/), as users do; BENCH_SOURCE=1 runs src/
      // through tsx instead (slower: its transform wraps functions in a naming helper).
      ...(process.env.BENCH_SOURCE ? ['--conditions=@logto-kit/source'] : []),
      '--import',
      'tsx',
      // BENCH_CPU_PROF=<dir> writes a .cpuprofile of every app process (open it in DevTools).
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
    ];
    const script = new URL('./app-process.ts', import.meta.url).pathname;
    const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];
    // The app on core 1, the load generator (this process, pinned by run.ts) on core 0.
    const child = appCore
      ? spawn(
          'taskset',
          ['-c', appCore, process.execPath, ...execArgv, script, JSON.stringify(settings)],
          { stdio },
        )
      : fork(script, [JSON.stringify(settings)], { execArgv, stdio });
    const [message] = (await once(child, 'message')) as [{ type: string }];
    if (message.type !== 'ready') throw new Error(`${settings.variant} did not start`);
    return new AppProcess(settings.variant, settings.baseUrl, child);
  }

  async #ask<T>(type: string, reply: string): Promise<T> {
    const answer = new Promise<T>((resolve) => {
      const onMessage = (message: { type: string } & T) => {
        if (message.type === reply) {
          this.child.off('message', onMessage);
          resolve(message);
        }
      };
      this.child.on('message', onMessage);
    });
    this.child.send({ type });
    return answer;
  }

  startMeasuring(): Promise<unknown> {
    return this.#ask('start', 'started');
  }

  stopMeasuring(): Promise<AppStats> {
    return this.#ask<AppStats>('stop', 'stats');
  }

  async stop(): Promise<void> {
    this.child.send({ type: 'exit' });
    await once(this.child, 'exit');
  }
}

/** A seed whose demo app accepts the callbacks of every app on these ports. */
export function benchSeed(
  ports: Record<string, number>,
  overrides: Partial<SeedInput> = {},
): SeedInput {
  const seed = defaultSeed();
  const app = seed.applications[0]!;
  app.redirectUris = [];
  app.postLogoutRedirectUris = [];
  for (const [variant, port] of Object.entries(ports)) {
    if (baselineOf(variant as Variant) === variant) continue;
    app.redirectUris.push(`http://localhost:${port}${callbackPath[variant as AuthVariant]}`);
    app.postLogoutRedirectUris.push(`http://localhost:${port}/`, `http://localhost:${port}`);
  }
  delete app.backchannelLogoutUri;
  return { ...seed, ...overrides };
}

export function startIdp(port: number, seed: SeedInput): Promise<DevServer> {
  return startDevServer({ port, quiet: true, seed });
}

export function settingsFor(
  variant: Variant,
  port: number,
  idp: DevServer,
  scopes?: string[],
): AppSettings & { port: number } {
  return {
    variant,
    port,
    baseUrl: `http://localhost:${port}`,
    endpoint: idp.endpoint,
    appId: demo.appId,
    appSecret: demo.appSecret,
    ...(scopes ? { scopes } : {}),
  };
}

/** Signs a fresh user in through the app, like a browser would; returns that user. */
export async function signedInUser(variant: AuthVariant, baseUrl: string): Promise<HeadlessUser> {
  const user = new HeadlessUser({ username: demo.username, password: demo.password });
  const page = await user.visit(`${baseUrl}${signInPath[variant]}`);
  if (page.status !== 200)
    throw new Error(`${variant}: sign-in ended with HTTP ${page.status} at ${page.url}`);
  const check = await user.request(`${baseUrl}/protected`);
  if (check.status !== 200)
    throw new Error(`${variant}: not signed in after sign-in (HTTP ${check.status})`);
  await check.body?.cancel();
  return user;
}
