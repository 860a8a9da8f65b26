import { ConfigError, readConfig, scaleOutFrom } from '@logto-kit/example-shared';
import { createApp } from './app.js';

try {
  process.loadEnvFile();
} catch {
  // No .env file: the environment alone is fine.
}

try {
  const config = readConfig(process.env);
  if (config.generatedSessionSecret) {
    console.log(
      'Note: SESSION_SECRET is not set; using a random one for this run (local provider only). Sessions end when the app restarts.',
    );
  }
  // SESSION_STORE=redis://…: sessions, refreshes and back-channel logouts shared by instances.
  const scaleOut = await scaleOutFrom(config);
  const server = createApp(config, scaleOut).listen(config.port, () => {
    console.log(
      `\n  Logto Express sample: ${config.baseUrl}  (Logto endpoint ${config.endpoint})\n`,
    );
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `Port ${config.port} is in use: set PORT to another port.`
        : `Cannot start: ${error.message}`,
    );
    process.exit(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof TypeError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
