// `npm start` tells the truth: "Ready" only once the example answers and the local provider
// serves its discovery, a port in use names the variable to change, and a quick start's console
// holds no warning. Runs scripts/start.mjs itself, on free ports.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { describe, it } from 'node:test';

const script = new URL('./start.mjs', import.meta.url).pathname;

/** Starts `npm start`'s script with `env` (no LOGTO_* or SESSION_* from this process). */
function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(LOGTO_|SESSION_|PORT$|EXAMPLE$)/.test(key)),
  );
  const child = spawn(process.execPath, [script], {
    env: { ...clean, NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  return { child, output: () => output };
}

async function holdPort(): Promise<{ server: Server; port: number }> {
  const server = createServer().listen(0);
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { server, port: address.port };
}

async function freePort(): Promise<number> {
  const { server, port } = await holdPort();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm start', () => {
  it('names PORT when the example port is in use, and starts nothing', async () => {
    const held = await holdPort();
    try {
      const { child, output } = start({ PORT: String(held.port) });
      const [code] = await once(child, 'exit');
      assert.equal(code, 1);
      assert.match(
        output(),
        new RegExp(`Port ${held.port} \\(the example app\\) is in use: set PORT`),
      );
      assert.doesNotMatch(output(), /Ready/);
    } finally {
      held.server.close();
    }
  });

  it('names LOGTO_DEV_PORT when the provider port is in use', async () => {
    const held = await holdPort();
    try {
      const { child, output } = start({
        PORT: String(await freePort()),
        LOGTO_DEV_PORT: String(held.port),
      });
      const [code] = await once(child, 'exit');
      assert.equal(code, 1);
      assert.match(output(), /is in use: set LOGTO_DEV_PORT/);
      assert.doesNotMatch(output(), /Ready/);
    } finally {
      held.server.close();
    }
  });

  it('says Ready only when the example answers, with a console free of warnings', async () => {
    const port = await freePort();
    const { child, output } = start({
      PORT: String(port),
      LOGTO_DEV_PORT: String(await freePort()),
    });
    try {
      const deadline = Date.now() + 60_000;
      while (!output().includes('Ready:')) {
        assert.ok(Date.now() < deadline, `no Ready within 60 s:\n${output()}`);
        assert.equal(child.exitCode, null, `stopped before Ready:\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.match(output(), new RegExp(`Ready: open http://localhost:${port}/`));
      const home = await fetch(`http://localhost:${port}/`);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /Sign in/);
      assert.doesNotMatch(
        output(),
        /WARNING|NOTICE|Unsupported runtime|back-channel logout failed/,
      );
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
