import { runExample } from '@logto-kit/example-shared';
import { createApp } from './app.js';

await runExample('Express', (config, scaleOut, ready) =>
  createApp(config, scaleOut).listen(config.port, ready),
);
