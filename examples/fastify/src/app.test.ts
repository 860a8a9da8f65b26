import { describeExampleRoutes } from '@logto-kit/example-shared/testing';
import { startExample } from './test-env.js';

// The route-for-route spec every example passes lives in examples/shared/src/testing.ts.
describeExampleRoutes('Fastify', startExample);
