import { describeExampleInBrowser } from '@logto-kit/example-shared/testing';
import { startExample } from './test-env.js';

// The browser test every example passes lives in examples/shared/src/testing.ts.
describeExampleInBrowser('Fastify', startExample);
