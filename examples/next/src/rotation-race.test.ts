import { describeRotationRaceInBrowser } from '@logto-kit/example-shared/rotation-race';
import { startExample } from './test-env.js';

// Strict rotation, several tabs at once after an expiry, under `next start` (the build is shared
// with the other test files): examples/shared/src/rotation-race.ts.
describeRotationRaceInBrowser('Next.js', (seed) => startExample({ seed }));
