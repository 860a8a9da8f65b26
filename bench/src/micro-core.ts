// Not part of `npm run bench`'s table: core's in-process share of a protected request
// (open the request, load the cached session, decide, finish), without HTTP or a framework.
//   npm run bench:core   (pinned to core 1)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogtoWeb } from '@logto-kit/core';
import { defaultSeed, demo, HeadlessUser, startDevServer } from '@logto-kit/dev-server';

const server = createServer();
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
const idp = await startDevServer({
  port: 0,
  quiet: true,
  seed: defaultSeed({ appBaseUrl: baseUrl }),
});
const web = new LogtoWeb({
  endpoint: idp.endpoint,
  appId: demo.appId,
  appSecret: demo.appSecret,
  baseUrl,
  session: { secret: 'bench-session-secret-0123456789-abcdefghijklmnopqrstuvwxyz' },
});
// Serve the auth routes through core so a headless user can sign in.
server.on('request', async (req, res) => {
  const request = web.request({
    method: req.method ?? 'GET',
    target: req.url ?? '/',
    cookie: req.headers.cookie,
  });
  const response = (await request.route()) ?? { status: 404, headers: {}, body: '' };
  const { cookies } = await request.finish(response.status);
  res
    .writeHead(response.status, { ...response.headers, 'set-cookie': [...cookies] })
    .end(response.body);
});
const user = new HeadlessUser({ username: demo.username, password: demo.password });
await user.visit(`${baseUrl}/sign-in`);
const cookie = user.cookieHeader(`${baseUrl}/`);

async function once(target: string, guard: boolean): Promise<void> {
  const request = web.request({ method: 'GET', target, cookie, accept: 'application/json' });
  if (request.route()) throw new Error('unexpected auth route');
  if (guard) {
    const result = await request.guard({});
    if (!('user' in result)) throw new Error('not signed in');
  }
  await request.finish(200);
}

for (const [name, target, guard] of [
  ['protected (guard)', '/protected', true],
  ['public (no session read)', '/', false],
] as const) {
  for (let i = 0; i < 20_000; i++) await once(target, guard); // warm-up
  const rounds = 5;
  const perRequest: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const n = 50_000;
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) await once(target, guard);
    const used = process.cpuUsage(start);
    perRequest.push((used.user + used.system) / n);
  }
  perRequest.sort((a, b) => a - b);
  console.log(
    `${name}: median ${perRequest[2]!.toFixed(2)} µs CPU per request (min ${perRequest[0]!.toFixed(2)})`,
  );
}
server.close();
await idp.close();
