// A benchmarked app in its own process, so its CPU time is its own. The parent sends
// `{ type: 'start' }` / `{ type: 'stop' }` around a measurement and gets CPU time, responses
// and responses that carried Set-Cookie back.
import type { AddressInfo } from 'node:net';
import { type ApiSettings, buildApiApp } from './api-apps.js';
import { type AppSettings, buildApp } from './apps.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as (AppSettings | ApiSettings) & {
  port: number;
};
const app = settings.variant.startsWith('api-')
  ? await buildApiApp(settings as ApiSettings)
  : await buildApp(settings as AppSettings);

let responses = 0;
let withSetCookie = 0;
let cpu = process.cpuUsage();

const server = app.listen(settings.port, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
});
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
