import { runExample } from '@logto-kit/example-shared';
import { createApp } from './app.js';

await runExample('Fastify', (config, scaleOut, ready) => {
  const app = createApp(config, scaleOut);
  // A failed listen (the port in use) goes to runExample's 'error' handler, which says what to do.
  app.listen({ port: config.port }).then(ready, (error) => app.server.emit('error', error));
  return app.server;
});
