// Test fixture: the dev server and the Fastify example on free loopback ports.
import { createServer } from 'node:http';
import {
  type ExampleEnv,
  type ExampleEnvOptions,
  startExampleEnv,
} from '@logto-kit/example-shared/testing';
import { createApp } from './app.js';

export function startExample(options: ExampleEnvOptions = {}): Promise<ExampleEnv> {
  return startExampleEnv(
    (app) =>
      createServer((req, res) => {
        const fastify = app();
        if (!fastify) return void res.end();
        // Fastify's own request handler, once its plugins have loaded.
        fastify.ready().then(
          () => fastify.routing(req, res),
          (error: Error) => res.writeHead(500).end(error.message),
        );
      }),
    createApp,
    options,
  );
}
