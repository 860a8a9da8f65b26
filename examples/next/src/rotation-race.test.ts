import { describeRotationRaceInBrowser } from '@logto-kit/example-shared/rotation-race';
import { startExample } from './test-env.js';

// Strict rotation, several tabs at once after an expiry, under `next start` (the build is shared
// with the other test files): examples/shared/src/rotation-race.ts. Two instances of the one
// build: sign-in and the first round on one, the second round on the other, which knows nothing
// of the first round's rotations — the refresh token in the cookie the browser kept must be the
// newest.
describeRotationRaceInBrowser(
  'Next.js',
  async (seed) => {
    const env = await startExample({ seed, instances: 2 });
    env.useInstances([0]);
    return env;
  },
  { elsewhere: (env) => env.useInstances([1]) },
);
