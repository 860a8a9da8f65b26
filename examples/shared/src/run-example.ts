import { ConfigError, type ExampleConfig, readConfig } from './config.js';
import { type ScaleOut, scaleOutFrom } from './scale-out.js';

/** What `runExample` needs of a listening server (Node's, or @hono/node-server's). */
export interface ListeningServer {
  close(callback?: () => void): unknown;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/**
 * Starts an example from the environment (and `.env`): reads and checks the settings (one line
 * and exit 1 when one is wrong), connects Redis when `SESSION_STORE` is set, listens, and stops
 * on Ctrl-C.
 *
 * @example
 * await runExample('Express', (config, scaleOut) => createApp(config, scaleOut).listen(config.port));
 */
export async function runExample(
  framework: string,
  listen: (config: ExampleConfig, scaleOut: ScaleOut, ready: () => void) => ListeningServer,
): Promise<void> {
  try {
    process.loadEnvFile();
  } catch {
    // No .env file: the environment alone is fine.
  }
  let config: ExampleConfig;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  if (config.generatedSessionSecret) {
    console.log(
      'Note: SESSION_SECRET is not set; using a random one for this run (local provider only). Sessions end when the app restarts.',
    );
  }
  // SESSION_STORE=redis://…: sessions, refreshes and back-channel logouts shared by instances.
  const scaleOut = await scaleOutFrom(config);
  let server: ListeningServer;
  try {
    server = listen(config, scaleOut, () => {
      console.log(
        `\n  Logto ${framework} sample: ${config.baseUrl}  (Logto endpoint ${config.endpoint})\n`,
      );
      // `npm start` (scripts/start.mjs) says "Ready" only after this, never for another process
      // that holds the port.
      process.send?.('ready');
    });
  } catch (error) {
    // The options are checked when the app is built: a bad one is a configuration error too.
    if (error instanceof TypeError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `Port ${config.port} is in use: set PORT to a free port, e.g. PORT=${config.port + 100}.`
        : `Cannot start: ${error.message}`,
    );
    process.exit(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
}
