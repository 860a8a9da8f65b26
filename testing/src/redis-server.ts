// A real redis-server on a free loopback port, in a temp dir, no persistence of its
// own (`--save '' --appendonly no`). It can be killed (SIGKILL, as a crash) and restarted on the
// same port; a `SAVE` before the kill keeps the data across the restart, as a persistent Redis
// would.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

function findRedisServer(): string | undefined {
  const candidates = [
    process.env.REDIS_SERVER_PATH,
    '/usr/bin/redis-server',
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')),
  ];
  return candidates.find((path): path is string => {
    if (!path) return false;
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false; // not there or not executable: try the next one
    }
  });
}

/** The redis-server binary, if this machine has one. */
export const redisServerPath: string | undefined = findRedisServer();

/**
 * `describe(…, { skip: redisSkip })`: without redis-server the tests say so and are skipped —
 * except in CI, where they run and fail (call {@link requireRedis} in `before`).
 */
export const redisSkip: string | false =
  redisServerPath || process.env.CI
    ? false
    : 'redis-server not found (install the redis-server package, or set REDIS_SERVER_PATH): skipped';

/** Fails loudly in CI when redis-server is missing. */
export function requireRedis(): string {
  assert.ok(redisServerPath, 'redis-server is required in CI; install the redis-server package');
  return redisServerPath;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A running redis-server that a test owns. */
export class RedisServer {
  #child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly binary: string,
  ) {}

  static async start(): Promise<RedisServer> {
    const binary = requireRedis();
    const dir = mkdtempSync(join(tmpdir(), 'logto-kit-redis-'));
    const server = new RedisServer(await freePort(), dir, binary);
    await server.#spawn();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async #spawn(): Promise<void> {
    const child = spawn(
      this.binary,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        '--protected-mode',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.#child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start:\n${output}`)),
        10_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
    child.stdout?.resume();
    child.stderr?.resume();
  }

  /** Kills the server at once (SIGKILL): connections drop, nothing is saved. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.removeAllListeners('exit');
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    this.#child = undefined;
  }

  /** Starts the server again on the same port and directory (loads a `SAVE`d dump). */
  async restart(): Promise<void> {
    await this.kill();
    await this.#spawn();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
