// Benchmark 6: two logto-kit instances (each on core 1) behind a round-robin load balancer, on
// one redis-server and on a 3-master Redis Cluster, interleaved (one, cluster, one, cluster):
// `/protected` throughput, the apps' CPU per request, and Redis commands (round trips) and
// Redis CPU per request from INFO commandstats / INFO cpu summed over the nodes.

// Test helpers from @logto-kit/testing: redis-server and a cluster it starts, a balancer.
import { startLoadBalancer } from '@logto-kit/testing/load-balancer';
import { RedisServer } from '@logto-kit/testing/redis-server';
import { cli, RedisClusterTopology, topologySkip } from '@logto-kit/testing/redis-topology';
import autocannon from 'autocannon';
import { AppProcess, benchSeed, settingsFor, signedInUser, startIdp } from './harness.js';

export interface ScaleOutRow {
  deployment: 'one Redis' | '3-master cluster';
  requestsPerSecond: number;
  p99Ms: number;
  /** CPU of both app processes per response. */
  cpuMicrosPerRequest: number;
  /** Redis commands (each one round trip) per response, all nodes together. */
  redisCommandsPerRequest: number;
  /** CPU of the Redis nodes per response. */
  redisCpuMicrosPerRequest: number;
  non2xx: number;
}

interface Options {
  basePort: number;
  duration: number;
  warmup: number;
  rounds: number;
  connections: number;
  log: (line: string) => void;
}

/** Commands served and CPU used, summed over the nodes. */
async function redisCounters(ports: number[]): Promise<{ calls: number; cpuMicros: number }> {
  let calls = 0;
  let cpuMicros = 0;
  for (const port of ports) {
    const stats = await cli(port, 'INFO', 'commandstats');
    for (const match of stats.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) {
      if (match[1] !== 'info') calls += Number(match[2]);
    }
    const cpu = await cli(port, 'INFO', 'cpu');
    for (const match of cpu.matchAll(/^used_cpu_(?:sys|user):([\d.]+)/gm)) {
      cpuMicros += Number(match[1]) * 1e6;
    }
  }
  return { calls, cpuMicros };
}

export async function runScaleOut(options: Options): Promise<ScaleOutRow[]> {
  if (topologySkip) {
    options.log(`  skipped: ${topologySkip}`);
    return [];
  }
  const lbPort = options.basePort + 1;
  const idp = await startIdp(options.basePort, benchSeed({ 'kit-redis': lbPort }));
  const lb = await startLoadBalancer(lbPort);
  const single = await RedisServer.start();
  const cluster = await RedisClusterTopology.start();
  const deployments = [
    {
      name: 'one Redis' as const,
      url: single.url,
      ports: [single.port],
      apps: [] as AppProcess[],
      appPorts: [] as number[],
    },
    {
      name: '3-master cluster' as const,
      url: cluster.url,
      ports: cluster.nodes.map((node) => node.port),
      apps: [] as AppProcess[],
      appPorts: [] as number[],
    },
  ];
  const cookies = new Map<string, string>();
  try {
    let port = options.basePort + 2;
    for (const deployment of deployments) {
      for (let instance = 0; instance < 2; instance += 1) {
        deployment.appPorts.push(port);
        const settings = settingsFor('kit-redis', port++, idp);
        deployment.apps.push(
          await AppProcess.start({ ...settings, baseUrl: lb.url, redisUrl: deployment.url }),
        );
      }
      lb.route(deployment.appPorts);
      const user = await signedInUser('kit-redis', lb.url);
      cookies.set(deployment.name, user.cookieHeader(lb.url));
    }
    const samples = new Map<string, ScaleOutRow[]>();
    for (let round = 1; round <= options.rounds; round++) {
      for (const deployment of deployments) {
        lb.route(deployment.appPorts);
        const load = (duration: number) =>
          autocannon({
            url: `${lb.url}/protected`,
            connections: options.connections,
            duration,
            headers: { cookie: cookies.get(deployment.name)! },
          });
        await load(options.warmup);
        await Promise.all(deployment.apps.map((app) => app.startMeasuring()));
        const before = await redisCounters(deployment.ports);
        const result = await load(options.duration);
        const stats = await Promise.all(deployment.apps.map((app) => app.stopMeasuring()));
        const after = await redisCounters(deployment.ports);
        const responses = stats.reduce((sum, s) => sum + s.responses, 0) || 1;
        const row: ScaleOutRow = {
          deployment: deployment.name,
          requestsPerSecond: result.requests.average,
          p99Ms: result.latency.p99,
          cpuMicrosPerRequest: stats.reduce((sum, s) => sum + s.cpuMicros, 0) / responses,
          redisCommandsPerRequest: (after.calls - before.calls) / responses,
          redisCpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / responses,
          non2xx: result.non2xx + result.errors,
        };
        options.log(
          `  round ${round} ${row.deployment}: ${row.requestsPerSecond.toFixed(0)} req/s, p99 ${row.p99Ms} ms, ${row.cpuMicrosPerRequest.toFixed(0)} µs app CPU/req, ${row.redisCommandsPerRequest.toFixed(2)} Redis commands/req, ${row.redisCpuMicrosPerRequest.toFixed(1)} µs Redis CPU/req, non-2xx ${row.non2xx}`,
        );
        samples.set(row.deployment, [...(samples.get(row.deployment) ?? []), row]);
      }
    }
    return [...samples.values()].map((rows) => {
      const mean = (pick: (row: ScaleOutRow) => number) =>
        rows.reduce((s, r) => s + pick(r), 0) / rows.length;
      return {
        deployment: rows[0]!.deployment,
        requestsPerSecond: mean((r) => r.requestsPerSecond),
        p99Ms: mean((r) => r.p99Ms),
        cpuMicrosPerRequest: mean((r) => r.cpuMicrosPerRequest),
        redisCommandsPerRequest: mean((r) => r.redisCommandsPerRequest),
        redisCpuMicrosPerRequest: mean((r) => r.redisCpuMicrosPerRequest),
        non2xx: rows.reduce((s, r) => s + r.non2xx, 0),
      };
    });
  } finally {
    for (const deployment of deployments) await Promise.all(deployment.apps.map((a) => a.stop()));
    await lb.close();
    await idp.close();
    await single.stop();
    await cluster.stop();
  }
}
