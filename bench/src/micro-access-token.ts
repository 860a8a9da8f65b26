// Not part of `npm run bench`'s table: the in-process CPU of checking one real ES384 access token,
// without HTTP or a framework — logto-kit's guard with its cache off (every token first-seen)
// against a bare jose `jwtVerify` with the key already imported, interleaved, and the guard's
// cached path. The HTTP comparison is benchmark 6 of `npm run bench`.
//   npm run bench:access-token   (pinned to core 1)
import { AccessTokenGuard } from '@logto-kit/core';
import { demo, startDevServer } from '@logto-kit/dev-server';
import { userTokens } from '@logto-kit/testing/access-tokens';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';

const idp = await startDevServer({ port: 0, quiet: true });
const token = (await userTokens(idp)).api;
const authorization = `Bearer ${token}`;
const options = { endpoint: idp.endpoint, resource: demo.resource, scopes: ['read'] };
const firstSeen = new AccessTokenGuard({ ...options, cacheSize: 0 });
const cached = new AccessTokenGuard(options);
const keys = createLocalJWKSet(idp.publicKeys as unknown as JSONWebKeySet);
const verifyOptions = { issuer: idp.issuer, audience: demo.resource, algorithms: ['ES384'] };

async function cpuPerOp(n: number, op: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await op();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const cases: [string, number, () => Promise<unknown>][] = [
  ['bare jose jwtVerify', 500, () => jwtVerify(token, keys, verifyOptions)],
  ['logto-kit, first-seen token', 500, () => firstSeen.check({ authorization })],
  ['logto-kit, repeated token (cache)', 100_000, () => cached.check({ authorization })],
];
const samples = new Map<string, number[]>();
for (const [, n, op] of cases) await cpuPerOp(Math.min(n, 200), op); // warm-up
for (let round = 0; round < 5; round++) {
  for (const [name, n, op] of cases)
    samples.set(name, [...(samples.get(name) ?? []), await cpuPerOp(n, op)]);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[2]!;
const floor = median(samples.get('bare jose jwtVerify')!);
for (const [name, values] of samples) {
  console.log(
    `${name}: median ${median(values).toFixed(1)} µs CPU per check (${(median(values) / floor).toFixed(2)}× bare jose)`,
  );
}
await idp.close();
