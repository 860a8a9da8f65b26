// Test fixture: the dev server and the Express example on free loopback ports.
import { createServer } from 'node:http';
import {
  type ExampleEnv,
  type ExampleEnvOptions,
  startExampleEnv,
} from '@logto-kit/example-shared/testing';
import { createApp } from './app.js';

export type { ExampleEnv };

export function startExample(options: ExampleEnvOptions = {}): Promise<ExampleEnv> {
  return startExampleEnv(
    (app) =>
      createServer((req, res) => {
        const handler = app();
        if (handler) handler(req, res);
        else res.end();
      }),
    createApp,
    options,
  );
}
