// The Next.js bench app (bench/next-app/): copied into a temporary directory per build (whose
// node_modules links to the repository's), built once per run with `next build --webpack`, and
// served by `next start` on core 1. Its CPU time is read from /proc/<pid>/stat: `next start`
// serves from the process it is started as (no child), so that PID's time is the app's.
import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { appCore, canPin } from './harness.js';

/** `proxy`: the app with its proxy.ts; `none`: the same app without the file. */
export type NextBuild = 'proxy' | 'none';

const template = new URL('../next-app/', import.meta.url).pathname;
const root = new URL('../../', import.meta.url).pathname;
const nextBin = path.join(root, 'node_modules/next/dist/bin/next');
/** What a build never copies: a build made in the template by hand, and links. */
const notCopied = /(^|\/)(\.next|node_modules|next-env\.d\.ts|tsconfig\.tsbuildinfo)$/;

function run(command: string, args: string[], cwd: string): Promise<void> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (${code}):\n${output}`)),
    ),
  );
}

/** Copies the template (without proxy.ts for `none`) and builds it; returns its directory. */
export async function buildNextApp(build: NextBuild): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `logto-kit-bench-next-${build}-`));
  await cp(template, dir, { recursive: true, filter: (source) => !notCopied.test(source) });
  if (build === 'none') await rm(path.join(dir, 'proxy.ts'));
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // The runner is pinned to core 0 and its children inherit that: the build may use both.
  const args = [nextBin, 'build', '--webpack'];
  try {
    await (canPin
      ? run('taskset', ['-c', '0,1', process.execPath, ...args], dir)
      : run(process.execPath, args, dir));
  } catch (error) {
    await removeBuild(dir);
    throw error;
  }
  return dir;
}

const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** A built app under `next start`. */
export class NextServer {
  private constructor(
    readonly baseUrl: string,
    private readonly child: ChildProcess,
  ) {}

  /**
   * Starts `next start` for a built app, on core 1 when the machine allows, with `env` (the
   * Logto settings, BENCH_PROXY) added, and waits until it answers.
   */
  static async start(dir: string, port: number, env: Record<string, string>): Promise<NextServer> {
    const args = [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'];
    const options: SpawnOptions = {
      cwd: dir,
      // Next's errors reach the bench's stderr; its start-up banner does not.
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        ...env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    };
    // `taskset` execs node: the PID is the server's.
    const child = appCore
      ? spawn('taskset', ['-c', appCore, process.execPath, ...args], options)
      : spawn(process.execPath, args, options);
    const server = new NextServer(`http://localhost:${port}`, child);
    for (let attempt = 0; !(await server.#answers()); attempt++) {
      if (attempt > 240 || child.exitCode !== null) {
        await server.stop();
        throw new Error(`next start (${dir}) did not answer within 60 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return server;
  }

  async #answers(): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl}/`, { redirect: 'manual' });
      await response.body?.cancel();
      return true;
    } catch {
      return false;
    }
  }

  /** CPU time (user + system) the server has used so far, in µs (10 ms resolution). */
  cpuMicros(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }
}

/** Removes a build's temporary directory. */
export function removeBuild(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}
