import { serve } from '@hono/node-server';
import { runExample } from '@logto-kit/example-shared';
import { createApp } from './app.js';

await runExample('Hono', (config, scaleOut, ready) =>
  serve({ fetch: createApp(config, scaleOut).fetch, port: config.port }, ready),
);
