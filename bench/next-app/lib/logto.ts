// The bench app's one Logto object, made on first use from the environment the benchmark sets
// (bench/src/next-app.ts): `next build` imports this module without it. The proxy and the pages
// load it as separate module instances, so each makes its own object from the same settings.
import { createLogto, type LogtoNext } from '@logto-kit/next';

let made: LogtoNext | undefined;

const setting = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new TypeError(`The bench app needs ${name}.`);
  return value;
};

/** The app's Logto object. */
export function logto(): LogtoNext {
  made ??= createLogto({
    endpoint: setting('LOGTO_ENDPOINT'),
    appId: setting('LOGTO_APP_ID'),
    appSecret: setting('LOGTO_APP_SECRET'),
    baseUrl: setting('BASE_URL'),
    // No rolling renewal during a run: every request carries the same cookie, and a renewal
    // would answer each of them with a Set-Cookie.
    session: { secret: setting('SESSION_SECRET'), touchInterval: 43_200 },
  });
  return made;
}
