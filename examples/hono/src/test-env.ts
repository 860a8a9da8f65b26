// Test fixture: the dev server and the Hono example (on @hono/node-server) on free loopback ports.
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import {
  type ExampleEnv,
  type ExampleEnvOptions,
  startExampleEnv,
} from '@logto-kit/example-shared/testing';
import { createApp } from './app.js';

export function startExample(options: ExampleEnvOptions = {}): Promise<ExampleEnv> {
  return startExampleEnv(
    (app) =>
      createAdaptorServer({
        fetch: (request) => app()?.fetch(request) ?? new Response(null, { status: 503 }),
      }) as Server,
    createApp,
    options,
  );
}
