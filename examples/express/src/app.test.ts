import { describeExampleRoutes } from '@logto-kit/example-shared/testing';
import { startExample } from './test-env.js';

// The route-for-route spec both examples pass lives in examples/shared/src/testing.ts.
describeExampleRoutes('Express', startExample);
