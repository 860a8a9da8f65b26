// Real Redis topologies a test starts itself from Debian's binaries: a 3-master Redis Cluster
// (`cluster-enabled yes` on three ports, joined by `redis-cli --cluster create`) and Sentinel
// (one master, one replica, three sentinels). Every data node persists each write
// (`appendonly yes`, `appendfsync always`). Without redis-cli or redis-sentinel the tests say so
// and are skipped, except in CI, where they fail.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { redisServerPath } from './redis-server.js';

const run = promisify(execFile);

function sibling(name: string): string | undefined {
  const candidates = [redisServerPath && join(dirname(redisServerPath), name), `/usr/bin/${name}`];
  return candidates.find((path): path is string => {
    if (!path) return false;
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false; // not there: try the next one
    }
  });
}

const binaries = {
  server: redisServerPath,
  cli: sibling('redis-cli'),
  sentinel: sibling('redis-sentinel'),
};

/** `describe(…, { skip: topologySkip })`: skipped without the binaries, except in CI. */
export const topologySkip: string | false =
  (binaries.server && binaries.cli && binaries.sentinel) || process.env.CI
    ? false
    : 'redis-server, redis-cli or redis-sentinel not found (install redis-server, redis-tools and redis-sentinel): skipped';

function binary(name: keyof typeof binaries): string {
  const path = binaries[name];
  assert.ok(path, `redis-${name} is required in CI; install it from the Debian packages`);
  return path;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs redis-cli against one port; returns its output. */
export async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run(binary('cli'), ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One redis-server or redis-sentinel process on a port. */
export class RedisProcess {
  #child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly binary: string,
    private readonly args: string[],
  ) {}

  get running(): boolean {
    return this.#child !== undefined;
  }

  async start(): Promise<void> {
    const child = spawn(this.binary, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`${this.binary} on ${this.port} exited with ${code}:\n${output}`);
    });
    await Promise.race([
      until(`port ${this.port}`, async () => (await cli(this.port, 'PING')).includes('PONG')),
      exited,
    ]);
    child.removeAllListeners('exit');
    child.stderr?.resume();
  }

  /** SIGKILL: a crash. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

async function dataNode(dir: string, port: number, extra: string[]): Promise<RedisProcess> {
  mkdirSync(dir, { recursive: true });
  const node = new RedisProcess(port, binary('server'), [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--protected-mode',
    'no',
    ...extra,
  ]);
  await node.start();
  return node;
}

/** A running Redis topology that a test owns. */
export interface RedisTopology {
  readonly name: string;
  /** The setting `createRedisClient` takes. */
  readonly url: string;
  /** The ports of the data nodes that are masters now. */
  masters(): Promise<number[]>;
  stop(): Promise<void>;
}

/** A 3-master Redis Cluster without replicas. */
export class RedisClusterTopology implements RedisTopology {
  readonly name = 'a 3-master Redis Cluster';

  private constructor(
    private readonly dir: string,
    readonly nodes: RedisProcess[],
  ) {}

  static async start(masters = 3): Promise<RedisClusterTopology> {
    const dir = mkdtempSync(join(tmpdir(), 'logto-kit-cluster-'));
    const nodes = await Promise.all(
      Array.from({ length: masters }, async (_, index) => {
        const [port, bus] = [await freePort(), await freePort()];
        return dataNode(join(dir, String(index)), port, [
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(bus),
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '1000',
          // The slots of the live masters stay served while one master is down.
          '--cluster-require-full-coverage',
          'no',
        ]);
      }),
    );
    const topology = new RedisClusterTopology(dir, nodes);
    await run(binary('cli'), [
      '--cluster',
      'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await topology.ready();
    return topology;
  }

  get url(): string {
    return `redis+cluster://${this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`;
  }

  async masters(): Promise<number[]> {
    return this.nodes.filter((node) => node.running).map((node) => node.port);
  }

  /** The node that holds a key (asked of each node: only the owner answers without MOVED). */
  async owner(key: string): Promise<RedisProcess> {
    for (const node of this.nodes) {
      if ((await cli(node.port, 'EXISTS', key).catch(() => '')).trim() === '1') return node;
    }
    throw new Error('no node holds the key');
  }

  /**
   * The node whose slots include a key's, whether or not the key exists (asked of the running
   * nodes: each lists its own slot ranges).
   */
  async slotOwner(key: string): Promise<RedisProcess> {
    const running = this.nodes.filter((node) => node.running);
    const slot = Number((await cli(running[0]!.port, 'CLUSTER', 'KEYSLOT', key)).trim());
    for (const node of running) {
      const myself = (await cli(node.port, 'CLUSTER', 'NODES'))
        .split('\n')
        .find((line) => line.includes('myself'));
      for (const range of myself?.trim().split(' ').slice(8) ?? []) {
        const [from, to = from] = range.split('-').map(Number);
        if (from !== undefined && to !== undefined && slot >= from && slot <= to) return node;
      }
    }
    throw new Error(`no running node serves slot ${slot}`);
  }

  /** Waits until every running node says the cluster is ok again. */
  async ready(): Promise<void> {
    for (const node of this.nodes) {
      await until('cluster_state:ok', async () =>
        (await cli(node.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
      );
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One master and one replica watched by three sentinels (quorum 2, down after 1 s). */
export class RedisSentinelTopology implements RedisTopology {
  readonly name = 'Sentinel (1 master, 1 replica, 3 sentinels)';
  static readonly masterName = 'logto';

  private constructor(
    private readonly dir: string,
    readonly data: RedisProcess[],
    readonly sentinels: RedisProcess[],
  ) {}

  static async start(): Promise<RedisSentinelTopology> {
    const dir = mkdtempSync(join(tmpdir(), 'logto-kit-sentinel-'));
    const master = await dataNode(join(dir, 'a'), await freePort(), []);
    const replica = await dataNode(join(dir, 'b'), await freePort(), [
      '--replicaof',
      '127.0.0.1',
      String(master.port),
    ]);
    await until('the replica in sync', async () =>
      (await cli(replica.port, 'INFO', 'replication')).includes('master_link_status:up'),
    );
    const sentinels = await Promise.all(
      [0, 1, 2].map(async (index) => {
        const port = await freePort();
        const file = join(dir, `sentinel-${index}.conf`);
        const name = RedisSentinelTopology.masterName;
        writeFileSync(
          file,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            'protected-mode no',
            `dir ${dir}`,
            `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
            `sentinel down-after-milliseconds ${name} 1000`,
            `sentinel failover-timeout ${name} 5000`,
            `sentinel parallel-syncs ${name} 1`,
            '',
          ].join('\n'),
        );
        const sentinel = new RedisProcess(port, binary('sentinel'), [file]);
        await sentinel.start();
        return sentinel;
      }),
    );
    const topology = new RedisSentinelTopology(dir, [master, replica], sentinels);
    for (const sentinel of sentinels) {
      await until('the sentinels to see the replica and each other', async () => {
        const info = await cli(
          sentinel.port,
          'SENTINEL',
          'MASTER',
          RedisSentinelTopology.masterName,
        );
        const lines = info.trim().split('\n');
        const field = (name: string) => lines[lines.indexOf(name) + 1];
        return field('num-slaves') === '1' && field('num-other-sentinels') === '2';
      });
    }
    return topology;
  }

  get url(): string {
    const sentinels = this.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(',');
    return `redis+sentinel://${sentinels}/${RedisSentinelTopology.masterName}`;
  }

  /** The port of the master the sentinels name now. */
  async master(): Promise<number> {
    const reply = await cli(
      this.sentinels[0]!.port,
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      RedisSentinelTopology.masterName,
    );
    return Number(reply.trim().split('\n')[1]);
  }

  async masters(): Promise<number[]> {
    return [await this.master()];
  }

  /** The data node on a port. */
  node(port: number): RedisProcess {
    const node = this.data.find((candidate) => candidate.port === port);
    assert.ok(node, `no data node on ${port}`);
    return node;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sentinels, ...this.data].map((node) => node.kill()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
