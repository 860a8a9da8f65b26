#!/usr/bin/env node
// `npm start`: the quick-start example against the local identity provider, from source.
// With LOGTO_ENDPOINT set (in the environment or .env), only the example runs, against that
// Logto. EXAMPLE=hono or EXAMPLE=fastify runs that example instead of the Express one,
// EXAMPLE=next the Next.js one (`next dev`; its auth routes are under /auth). Ctrl-C stops
// everything.
// "Ready" is printed only once the example itself says it listens (over IPC) and answers, and the
// local identity provider serves its own discovery document: never for another process that
// happens to hold the port. A port in use names the variable to change (PORT, LOGTO_DEV_PORT).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

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
    { cwd: root, stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } },
  );
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} stopped (${signal ?? `exit code ${code}`}).`);
      process.exitCode = code || 1;
      stopAll();
    }
  });
  children.push(child);
  return child;
}

/** Whether a TCP port can be bound (on `host`, or every interface), checked before starting. */
function portIsFree(port, host) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port: Number(port), host, exclusive: true }, () =>
      probe.close(() => resolve(true)),
    );
  });
}

async function requireFreePort(port, host, what, variable) {
  if (await portIsFree(port, host)) return;
  console.error(
    `Port ${port} (${what}) is in use: set ${variable} to a free port, e.g. ${variable}=${Number(port) + 100} npm start.`,
  );
  process.exit(1);
}

process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

const port = process.env.PORT || '3000';
const examples = ['express', 'fastify', 'hono', 'next'];
const example = process.env.EXAMPLE || 'express';
if (!examples.includes(example)) {
  console.error(`EXAMPLE must be one of ${examples.join(', ')}, got "${example}".`);
  process.exit(1);
}
const exampleServer = `examples/${example}/src/server.ts`;
await requireFreePort(port, undefined, 'the example app', 'PORT');
if (process.env.LOGTO_ENDPOINT) {
  const app = run('example', [exampleServer]);
  announceWhenReady(app, `http://localhost:${port}/`, undefined, 'Ctrl-C stops it.');
} else {
  const idpPort = process.env.LOGTO_DEV_PORT || '3001';
  await requireFreePort(idpPort, '127.0.0.1', 'the local identity provider', 'LOGTO_DEV_PORT');
  const appUrl = process.env.LOGTO_BASE_URL || `http://localhost:${port}`;
  // Cookie sessions cannot be ended from the server: without SESSION_STORE the seed registers no
  // back-channel logout URI, so a sign-out prints no refused delivery.
  run('logto-dev', [
    'packages/dev-server/src/cli.ts',
    ...['--port', idpPort, '--app-url', appUrl],
    ...(process.env.SESSION_STORE ? [] : ['--no-backchannel-logout']),
  ]);
  const app = run('example', [exampleServer], {
    LOGTO_ENDPOINT: `http://localhost:${idpPort}`,
    LOGTO_APP_ID: 'logto-kit-demo',
    LOGTO_APP_SECRET: 'logto-kit-demo-secret-for-local-development-only',
    LOGTO_RESOURCE: process.env.LOGTO_RESOURCE || 'https://api.example.com',
    LOGTO_SCOPES: process.env.LOGTO_SCOPES || 'read write read:projects',
    // The seed's machine-to-machine app, for the page that calls the API as the app itself.
    LOGTO_M2M_APP_ID: 'logto-kit-demo-m2m',
    LOGTO_M2M_APP_SECRET: 'logto-kit-demo-m2m-secret-for-local-development-only',
  });
  announceWhenReady(
    app,
    `http://localhost:${port}/`,
    `http://localhost:${idpPort}/oidc`,
    'Sign in as demo / demo-password. Ctrl-C stops both.',
  );
}

/**
 * Prints "Ready" once the example child has said it listens (IPC 'ready', sent by runExample)
 * and answers over HTTP, and — with the local provider — that provider serves its discovery
 * document with the expected issuer. Nothing is printed if a child stops first.
 */
function announceWhenReady(app, url, issuer, tail) {
  app.on('message', async (message) => {
    if (message !== 'ready') return;
    const sleep = () => new Promise((resolve) => setTimeout(resolve, 250));
    for (let attempt = 0; attempt < 120 && !stopping; attempt++) {
      if ((await answers(url)) && (!issuer || (await servesIssuer(issuer)))) {
        console.log(`\n  Ready: open ${url}. ${tail}\n`);
        return;
      }
      await sleep();
    }
  });
}

async function answers(url) {
  try {
    const response = await fetch(url, { redirect: 'manual' });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}

async function servesIssuer(issuer) {
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    return response.ok && (await response.json()).issuer === issuer;
  } catch {
    return false;
  }
}
