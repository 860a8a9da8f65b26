export type { Credentials, Visit } from './headless.js';
export { completeSignIn, completeSignOut, HeadlessUser } from './headless.js';
export type { SigningJwk } from './keys.js';
export { generateSigningKey } from './keys.js';
export type { Seed, SeedInput } from './seed.js';
export { defaultSeed, demo, loadSeedFile, parseSeed, SeedError } from './seed.js';
export type { DevServer, DevServerOptions, RouteName } from './server.js';
export { startDevServer } from './server.js';
