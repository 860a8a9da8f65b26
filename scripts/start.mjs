#!/usr/bin/env node
// `npm start`: the quick-start example against the local identity provider, from source.
// With LOGTO_ENDPOINT set (in the environment or .env), only the example runs, against that
// Logto. EXAMPLE=hono runs the Hono example instead of the Express one. Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
if (existsSync(`${root}.env`)) process.loadEnvFile(`${root}.env`);

const children = [];
let stopping = false;

function stopAll() {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
}

function run(name, args, env = {}) {
  const child = spawn(
    process.execPath,
    ['--conditions=@logto-kit/source', '--import', 'tsx', ...args],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } },
  );
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} stopped (${signal ?? `exit code ${code}`}).`);
      process.exitCode = code || 1;
      stopAll();
    }
  });
  children.push(child);
}

process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

const port = process.env.PORT || '3000';
const examples = ['express', 'hono'];
const example = process.env.EXAMPLE || 'express';
if (!examples.includes(example)) {
  console.error(`EXAMPLE must be one of ${examples.join(', ')}, got "${example}".`);
  process.exit(1);
}
const exampleServer = `examples/${example}/src/server.ts`;
if (process.env.LOGTO_ENDPOINT) {
  run('example', [exampleServer]);
} else {
  const idpPort = process.env.LOGTO_DEV_PORT || '3001';
  const appUrl = process.env.LOGTO_BASE_URL || `http://localhost:${port}`;
  run('logto-dev', ['packages/dev-server/src/cli.ts', '--port', idpPort, '--app-url', appUrl]);
  run('example', [exampleServer], {
    LOGTO_ENDPOINT: `http://localhost:${idpPort}`,
    LOGTO_APP_ID: 'logto-kit-demo',
    LOGTO_APP_SECRET: 'logto-kit-demo-secret-for-local-development-only',
    LOGTO_RESOURCE: process.env.LOGTO_RESOURCE || 'https://api.example.com',
    LOGTO_SCOPES: process.env.LOGTO_SCOPES || 'read write read:projects',
  });
  announceWhenReady(`http://localhost:${port}/`);
}

async function announceWhenReady(url) {
  for (let attempt = 0; attempt < 120 && !stopping; attempt++) {
    try {
      await fetch(url);
      console.log(
        `\n  Ready: open ${url} and sign in as demo / demo-password. Ctrl-C stops both.\n`,
      );
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
