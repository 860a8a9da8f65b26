#!/usr/bin/env node
// `npm start`: runs the local identity provider from source (and, once it exists, the example
// app against it). Ctrl-C stops everything.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const children = [];

function run(name, args, env = {}) {
  const child = spawn(
    process.execPath,
    ['--conditions=@logto-kit/source', '--import', 'tsx', ...args],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } },
  );
  child.on('exit', (code, signal) => {
    if (signal || code !== 0) {
      console.error(`${name} stopped (${signal ?? `exit code ${code}`}).`);
      for (const other of children) if (other !== child) other.kill('SIGTERM');
      process.exitCode = code || 1;
    }
  });
  children.push(child);
  return child;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill('SIGTERM');
  });
}

run('logto-dev', ['packages/dev-server/src/cli.ts']);
