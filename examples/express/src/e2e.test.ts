import { describeExampleInBrowser } from '@logto-kit/example-shared/testing';
import { startExample } from './test-env.js';

// The browser test both examples pass lives in examples/shared/src/testing.ts.
describeExampleInBrowser('Express', startExample);
