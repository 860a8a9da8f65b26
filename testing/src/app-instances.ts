// App instances in their own processes (each runs app-instance.ts).
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import type { InstanceSettings } from './app-instance.js';

export interface Instance {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

const execArgv = ['--conditions=@logto-kit/source', '--import', 'tsx'];

/** Forks a child that runs `entry` with `settings` and waits for its `ready` message. */
export async function forkChild(
  entry: string,
  settings: object,
): Promise<{ child: ChildProcess; message: { type: string; port?: number } }> {
  const child = fork(new URL(entry, import.meta.url).pathname, [JSON.stringify(settings)], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`${entry} exited with ${code} before it was ready`);
    }),
  ])) as [{ type: string; port?: number }];
  return { child, message };
}

export async function startInstance(settings: InstanceSettings): Promise<Instance> {
  const { child, message } = await forkChild('./app-instance.ts', settings);
  const port = message.port!;
  return {
    port,
    url: `http://localhost:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'exit' });
      await exited;
    },
  };
}

/** The dev server in its own process, which a test can hang and wake (see dev-server-process.ts). */
export interface DevServerProcess {
  readonly endpoint: string;
  /** Stops the process (SIGSTOP): connections are accepted, nothing is answered. */
  hang(): void;
  /** Lets it run again (SIGCONT). */
  wake(): void;
  stop(): Promise<void>;
}

export async function startDevServerProcess(settings: {
  appBaseUrl: string;
  accessTokenTtl: number;
}): Promise<DevServerProcess> {
  const { child, message } = await forkChild('./dev-server-process.ts', settings);
  return {
    endpoint: `http://localhost:${message.port}`,
    hang: () => child.kill('SIGSTOP'),
    wake: () => child.kill('SIGCONT'),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGCONT');
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
