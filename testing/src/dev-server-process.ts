// Run as a child process (see app-instances.ts `startDevServerProcess`): the dev server with a
// strict-rotation seed for `appBaseUrl`, in its own process so a test can hang it (SIGSTOP: it
// accepts connections and answers nothing) and wake it again (SIGCONT).
import { defaultSeed, startDevServer } from '@logto-kit/dev-server';

interface Settings {
  appBaseUrl: string;
  accessTokenTtl: number;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const seed = defaultSeed({ appBaseUrl: settings.appBaseUrl });
const idp = await startDevServer({
  port: 0,
  quiet: true,
  seed: {
    ...seed,
    refreshTokenRotation: 'strict',
    ttl: { ...seed.ttl, accessToken: settings.accessTokenTtl },
  },
});
process.send?.({ type: 'ready', port: Number(new URL(idp.endpoint).port) });
process.on('message', (message: { type: string }) => {
  if (message.type === 'exit') void idp.close().finally(() => process.exit(0));
});
