// Test fixture: Fastify apps behind one real loopback HTTP server. Each app is built with a
// serverFactory that hands its request handler over, so the server can switch apps (mount)
// without a new port: the dev server's redirect URIs stay valid.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import Fastify from 'fastify';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An app being served: its handler, once `ready()` has resolved. */
interface Mounted {
  app: FastifyInstance;
  handler: Promise<Handler>;
}

export interface FastifyServed {
  readonly baseUrl: string;
  /** Builds a new app (synchronously: bad options throw here) and serves it from now on. */
  mount(build: (app: FastifyInstance) => void): FastifyInstance;
  close(): Promise<void>;
}

/**
 * A Fastify app, built by `build`, whose request handler is captured instead of listened with.
 * `ready()` errors (a plugin that failed) reject the handler; the request gets a 500 saying so.
 */
export function capturedFastify(
  build: (app: FastifyInstance) => void,
  options: FastifyServerOptions = {},
): Mounted {
  let captured: Handler | undefined;
  const app = Fastify({
    ...options,
    serverFactory: (handler) => {
      captured = handler as Handler;
      return createServer();
    },
  });
  build(app);
  const handler = Promise.resolve(app.ready()).then(() => {
    if (!captured) throw new Error('serverFactory was not called');
    return captured;
  });
  handler.catch(() => undefined); // reported per request
  return { app, handler };
}

/** One loopback server on a free port, dispatching to the latest mounted app. */
export async function serveFastify(): Promise<FastifyServed> {
  let current: Mounted | undefined;
  const retired: FastifyInstance[] = [];
  const server = createServer((req, res) => {
    if (!current) return void res.writeHead(503).end();
    current.handler.then(
      (handle) => handle(req, res),
      (error: Error) => res.writeHead(500).end(`app failed to start: ${error.message}`),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://localhost:${port}`,
    mount(build) {
      const mounted = capturedFastify(build);
      if (current) retired.push(current.app);
      current = mounted;
      return mounted.app;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...retired, current?.app].map((app) => app?.close()));
    },
  };
}
