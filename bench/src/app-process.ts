// A benchmarked app in its own process, so its CPU time is its own. The parent sends
// `{ type: 'start' }` / `{ type: 'stop' }` around a measurement and gets CPU time, responses
// and responses that carried Set-Cookie back.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiSettings, buildApiApp } from './api-apps.js';
import { type AppSettings, buildApp } from './apps.js';
import { buildFastifyApp } from './fastify-apps.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as (AppSettings | ApiSettings) & {
  port: number;
};
const ready = () => process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });

let responses = 0;
let withSetCookie = 0;
let cpu = process.cpuUsage();

let server: Server;
if (settings.variant.startsWith('fastify')) {
  const app = buildFastifyApp(settings as AppSettings);
  server = app.server;
  await app.listen({ port: settings.port, host: '127.0.0.1' });
  ready();
} else if (settings.variant.startsWith('api-')) {
  server = (await buildApiApp(settings as ApiSettings)).listen(settings.port, '127.0.0.1', ready);
} else {
  server = (await buildApp(settings as AppSettings)).listen(settings.port, '127.0.0.1', ready);
}
server.on('request', (_req, res) => {
  res.on('finish', () => {
    responses++;
    if (res.hasHeader('set-cookie')) withSetCookie++;
  });
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'start') {
    responses = 0;
    withSetCookie = 0;
    cpu = process.cpuUsage();
    process.send?.({ type: 'started' });
  } else if (message.type === 'stop') {
    const used = process.cpuUsage(cpu);
    process.send?.({ type: 'stats', cpuMicros: used.user + used.system, responses, withSetCookie });
  } else if (message.type === 'exit') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
