import { describeRotationRaceInBrowser } from '@logto-kit/example-shared/rotation-race';
import { startExample } from './test-env.js';

// Strict rotation, several tabs at once after an expiry: examples/shared/src/rotation-race.ts.
describeRotationRaceInBrowser('Fastify', (seed) => startExample({ seed }));
