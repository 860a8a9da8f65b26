// The app's one Logto object, made on first use from the same settings as the other examples
// (LOGTO_ENDPOINT, LOGTO_APP_ID, …, SESSION_STORE). Lazy: `next build` imports this module
// without those settings. The proxy and the pages load it as separate module instances, so
// each makes its own object; what they share is process.env (and Redis, with SESSION_STORE).
import {
  type ExampleConfig,
  logtoOptions,
  readConfig,
  scaleOutFrom,
} from '@logto-kit/example-shared';
import { createLogto, type LogtoNext } from '@logto-kit/next';

let made: Promise<{ logto: LogtoNext; config: ExampleConfig }> | undefined;

async function make(): Promise<{ logto: LogtoNext; config: ExampleConfig }> {
  // With the local provider and no SESSION_SECRET, one random secret for the whole process: the
  // proxy and the pages must agree on it.
  if (!process.env.SESSION_SECRET) {
    const probe = readConfig(process.env);
    process.env.SESSION_SECRET ??= probe.sessionSecret;
  }
  const config = readConfig(process.env);
  const scaleOut = await scaleOutFrom(config);
  return { logto: createLogto(logtoOptions(config, scaleOut)), config };
}

/** The app's Logto object and settings. */
export function app(): Promise<{ logto: LogtoNext; config: ExampleConfig }> {
  made ??= make();
  return made;
}

/** The app's Logto object. */
export async function logto(): Promise<LogtoNext> {
  return (await app()).logto;
}
