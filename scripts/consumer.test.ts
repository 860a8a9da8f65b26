// A user's own app, outside this repository. Builds and packs every published package, creates
// five apps in a temporary folder from the READMEs' `<!-- app: … -->` blocks — Express 5 in
// ESM TypeScript (`module: nodenext`, `strict`), Express 4 in CommonJS JavaScript, Hono, Fastify,
// Next.js (App Router: `next build`, then `next start`) — installs the tarballs (the other
// dependencies from the registry, through the npm cache, at the versions the repository tests
// with), type-checks with the repository's TypeScript, and signs in to each against the dev
// server.
// Every README block that is not a fragment is type-checked again against the installed
// packages. Without the registry the tests say they were skipped; under `CI` they fail instead.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  startDevServer,
} from '@logto-kit/dev-server';
import {
  appSources,
  moduleFileName,
  type ReadmeBlock,
  readmeBlocks,
  repositoryRoot as root,
} from './readme-blocks.js';

const run = promisify(execFile);
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const published = ['core', 'dev-server', 'express', 'fastify', 'hono', 'next', 'redis'];
const manifest = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));

// The versions the repository tests with, so that the npm cache has them.
const expressDev = manifest('packages/express/package.json').devDependencies;
const honoDev = manifest('packages/hono/package.json').devDependencies;
const fastifyDev = manifest('packages/fastify/package.json').devDependencies;
const nextExample = manifest('examples/next/package.json');
const rootDev = manifest('package.json').devDependencies;
const typesNode = `@types/node@${rootDev['@types/node']}`;
const registryDeps = {
  'express-esm': [
    `express@${expressDev.express}`,
    `@types/express@${expressDev['@types/express']}`,
    typesNode,
  ],
  'express-cjs': [`express@${String(expressDev.express4).replace('npm:express@', '')}`],
  hono: [`hono@${honoDev.hono}`, `@hono/node-server@${honoDev['@hono/node-server']}`, typesNode],
  fastify: [`fastify@${fastifyDev.fastify}`, typesNode],
  // `next build` type-checks with the app's own TypeScript (it would install one otherwise).
  next: [
    ...['next', 'react', 'react-dom'].map((name) => `${name}@${nextExample.dependencies[name]}`),
    `@types/react@${nextExample.devDependencies['@types/react']}`,
    `typescript@${rootDev.typescript}`,
    typesNode,
  ],
} as const;
type AppName = keyof typeof registryDeps;
/** Which packed packages each app installs (express-esm also compiles the other READMEs' modules). */
const packedDeps: Record<AppName, string[]> = {
  'express-esm': ['core', 'express', 'redis', 'dev-server'],
  'express-cjs': ['core', 'express'],
  hono: ['core', 'hono'],
  fastify: ['core', 'fastify'],
  next: ['core', 'next'],
};
const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    strict: true,
    outDir: 'dist',
    rootDir: 'src',
    types: ['node'],
    skipLibCheck: false,
  },
  include: ['src'],
};
const sessionSecret = 'a-consumer-test-session-secret-long-enough-0123456789';

const work = mkdtempSync(join(tmpdir(), 'logto-kit-consumer-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** npm as in a fresh shell: without the workspace and package settings of an npm running us. */
function npm(args: string[], cwd: string) {
  const inherited =
    /^npm_(lifecycle|package|config_(workspaces?|include_workspace_root|prefix|local_prefix))/i;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !inherited.test(name)),
  );
  return run('npm', args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
}

/** The app that has what a README module imports: Hono's, Fastify's, or else Express's. */
const appFor = (code: string): AppName =>
  /from 'hono'/.test(code) ? 'hono' : /from 'fastify'/.test(code) ? 'fastify' : 'express-esm';

/**
 * README blocks that compile as modules, for the app that has what they import. Modules of
 * `@logto-kit/next` outside its app are left to scripts/readme-blocks.test.ts (against the
 * source); the Next.js app itself is checked by `next build`.
 */
function readmeModules(blocks: ReadmeBlock[], app: AppName): ReadmeBlock[] {
  return blocks.filter(
    (block) =>
      block.marker.kind === 'module' &&
      block.lang === 'ts' &&
      !/from '@logto-kit\/next'/.test(block.code) &&
      appFor(block.code) === app,
  );
}

async function prepare(): Promise<{ skip: string } | { apps: Record<AppName, string> }> {
  // Build in dependency order (core first), then pack what was built.
  for (const name of published) {
    await run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: join(root, 'packages', name),
    });
  }
  const packs = join(work, 'packs');
  mkdirSync(packs);
  await npm(
    [
      'pack',
      '--ignore-scripts',
      '--pack-destination',
      packs,
      ...published.flatMap((name) => ['-w', `@logto-kit/${name}`]),
    ],
    root,
  );
  const tarball = (name: string) => {
    const file = readdirSync(packs).find((f) => f.startsWith(`logto-kit-${name}-`));
    assert.ok(file, `no tarball for ${name}`);
    return join(packs, file);
  };

  const { blocks } = readmeBlocks();
  const sources = appSources(blocks);
  const apps = {} as Record<AppName, string>;
  const installs: Promise<unknown>[] = [];
  for (const app of Object.keys(registryDeps) as AppName[]) {
    const dir = join(work, app);
    apps[app] = dir;
    mkdirSync(dir);
    const esm = app !== 'express-cjs';
    // Next.js writes its own tsconfig.json at the first `next build`, as for a new app.
    const ownTsconfig = esm && app !== 'next';
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: `consumer-${app}`,
        private: true,
        ...(esm ? { type: 'module' } : {}),
      }),
    );
    for (const [file, code] of sources.get(app) ?? []) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), code);
    }
    if (ownTsconfig) {
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
      for (const block of readmeModules(blocks, app)) {
        mkdirSync(join(dir, 'src/readme'), { recursive: true });
        writeFileSync(join(dir, 'src/readme', moduleFileName(block)), block.code);
      }
    }
    installs.push(
      npm(
        [
          'install',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          '--loglevel=error',
          // Fail fast when the registry is unreachable (the test then says it was skipped).
          '--fetch-retries=1',
          '--fetch-retry-mintimeout=1000',
          '--fetch-retry-maxtimeout=3000',
          '--fetch-timeout=20000',
          ...packedDeps[app].map(tarball),
          ...registryDeps[app],
        ],
        dir,
      ),
    );
  }
  const results = await Promise.allSettled(installs);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) {
    const message = String((failed as PromiseRejectedResult).reason);
    const reachable = await npm(['ping', '--fetch-retries=0', '--fetch-timeout=5000'], work).then(
      () => true,
      () => false,
    );
    if (!reachable && !process.env.CI) {
      return { skip: 'skipped: npm install failed and the registry is unreachable (npm ping)' };
    }
    throw new Error(`npm install failed: ${message}`);
  }
  return { apps };
}

let prepared: ReturnType<typeof prepare> | undefined;
/** The apps' folders, or `undefined` after marking the test skipped. */
async function apps(t: TestContext): Promise<Record<AppName, string> | undefined> {
  prepared ??= prepare();
  const result = await prepared;
  if ('skip' in result) {
    t.diagnostic(result.skip);
    t.skip(result.skip);
    return undefined;
  }
  return result.apps;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

interface RunningApp {
  baseUrl: string;
  idp: DevServer;
  child: ChildProcess;
  output: () => string;
  stopProvider(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a dev server and the app against it (`node <entry>`, or the arguments `command` gives
 * for the port); resolves once the app answers.
 */
async function start(
  dir: string,
  command: string | ((port: number) => string[]),
): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const idp = await startDevServer({
    port: 0,
    quiet: true,
    seed: defaultSeed({ appBaseUrl: baseUrl }),
  });
  const args = typeof command === 'string' ? [command] : command(port);
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NEXT_TELEMETRY_DISABLED: '1',
      BASE_URL: baseUrl,
      LOGTO_ENDPOINT: idp.endpoint,
      LOGTO_APP_ID: demo.appId,
      LOGTO_APP_SECRET: demo.appSecret,
      SESSION_SECRET: sessionSecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  let providerStopped: Promise<void> | undefined;
  const stopProvider = () => {
    providerStopped ??= idp.close();
    return providerStopped;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill();
      await once(child, 'exit');
    }
    await stopProvider();
  };
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) {
      await stopProvider();
      throw new Error(`the app exited at start:\n${output}`);
    }
    try {
      await (await fetch(`${baseUrl}/protected`, { redirect: 'manual' })).body?.cancel();
      break;
    } catch (error) {
      if (attempt > 200) {
        await stop();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { baseUrl, idp, child, output: () => output, stopProvider, stop };
}

/** Signs in through the app's own routes, as a browser would; returns the signed-in user. */
async function signIn(baseUrl: string): Promise<HeadlessUser> {
  const user = new HeadlessUser({ username: demo.username, password: demo.password });
  const page = await user.visit(`${baseUrl}/protected`);
  assert.equal(page.url, `${baseUrl}/protected`, `ended at ${page.url} (${page.status})`);
  assert.equal(page.status, 200, page.body);
  const claims = JSON.parse(page.body) as { sub?: string; email?: string };
  assert.equal(claims.email, 'demo@example.com');
  assert.ok(claims.sub);
  return user;
}

const scenarios: { app: AppName; entry: string; tokenPath: string; title: string }[] = [
  {
    app: 'express-esm',
    entry: 'dist/server.js',
    tokenPath: '/api/token',
    title: 'Express 5, ESM TypeScript',
  },
  {
    app: 'express-cjs',
    entry: 'server.js',
    tokenPath: '/api/token',
    title: 'Express 4, CommonJS JavaScript',
  },
  { app: 'hono', entry: 'dist/server.js', tokenPath: '/api/me', title: 'Hono' },
  { app: 'fastify', entry: 'dist/server.js', tokenPath: '/api/me', title: 'Fastify' },
];

/** The HTML-escaped text of a page, as it reads. */
const unescapeHtml = (html: string) =>
  html
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/**
 * Submits the first form of `url`, as a browser without JavaScript posts a Server Action form
 * (its hidden fields, multipart, with the page's Origin); returns the answer.
 */
async function submitForm(user: HeadlessUser, url: string): Promise<Response> {
  const html = await (await user.request(url)).text();
  const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
  assert.ok(form, `no form at ${url}`);
  const fields = new FormData();
  for (const [, name, value] of form.matchAll(
    /<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g,
  )) {
    fields.append(unescapeHtml(name ?? ''), unescapeHtml(value ?? ''));
  }
  return user.request(url, {
    method: 'POST',
    headers: { origin: new URL(url).origin },
    body: fields,
  });
}

describe("a user's own app, built from the READMEs and the packed packages", {
  concurrency: 1,
  timeout: 600_000, // five apps to pack, install and build; slower on a loaded machine
}, () => {
  it('installs the tarballs and type-checks the TypeScript apps and README modules (strict, nodenext)', async (t) => {
    const dirs = await apps(t);
    if (!dirs) return;
    for (const app of ['express-esm', 'hono', 'fastify'] as const) {
      await run(process.execPath, [tsc, '-p', '.'], { cwd: dirs[app] }).catch(
        (error: { stdout?: string }) => {
          throw new Error(`${app} does not compile:\n${error.stdout ?? error}`);
        },
      );
    }
  });

  for (const { app, entry, tokenPath, title } of scenarios) {
    it(`${title}: signs in, loads a protected page and an API-resource token, signs out`, async (t) => {
      const dirs = await apps(t);
      if (!dirs) return;
      const running = await start(dirs[app], entry);
      try {
        const user = await signIn(running.baseUrl);
        const token = await user.request(`${running.baseUrl}${tokenPath}`);
        assert.equal(token.status, 200, await token.clone().text());
        assert.equal(((await token.json()) as { scope?: string }).scope, 'read');
        const signedOut = await user.visit(`${running.baseUrl}/sign-out`);
        assert.ok(
          signedOut.trail.some((url) => url.startsWith(`${running.idp.endpoint}/oidc/session/end`)),
          signedOut.trail.join('\n'),
        );
        const after = await user.request(`${running.baseUrl}${tokenPath}`);
        assert.equal(after.status, 401);
      } catch (error) {
        t.diagnostic(running.output());
        throw error;
      } finally {
        await running.stop();
      }
    });
  }

  it('Next.js: next build, then signs in through the proxy, reads a page and a Route Handler, signs out and in with Server Action forms', async (t) => {
    const dirs = await apps(t);
    if (!dirs) return;
    const dir = dirs.next;
    const next = join(dir, 'node_modules/next/dist/bin/next');
    // `next build` loads lib/logto.ts: settings of the right shape (`next start` reads the real
    // ones). Turbopack, Next.js 16's default; nothing is downloaded (no fonts, SWC from npm).
    await run(process.execPath, [next, 'build'], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        NEXT_TELEMETRY_DISABLED: '1',
        LOGTO_ENDPOINT: 'http://localhost:3001',
        LOGTO_APP_ID: demo.appId,
        LOGTO_APP_SECRET: 'set-at-start',
        SESSION_SECRET: sessionSecret,
      },
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`next build failed:\n${error.stdout ?? ''}${error.stderr ?? error}`);
    });
    const running = await start(dir, (port) => [
      next,
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ]);
    const { baseUrl } = running;
    try {
      const user = new HeadlessUser({ username: demo.username, password: demo.password });
      // Signed out, the proxy sends the page's visitor to sign-in, and back to the page.
      const page = await user.visit(`${baseUrl}/dashboard`);
      assert.equal(page.url, `${baseUrl}/dashboard`, `ended at ${page.url} (${page.status})`);
      assert.equal(page.status, 200, page.body);
      const shown = /<pre id="dashboard">([\s\S]*?)<\/pre>/.exec(page.body)?.[1];
      assert.deepEqual(JSON.parse(unescapeHtml(shown ?? '')), {
        email: 'demo@example.com',
        audience: demo.resource,
        scope: 'read',
      });
      assert.doesNotMatch(page.body, /eyJ[\w-]+\.[\w-]+/, 'no token in the page');
      const me = await user.request(`${baseUrl}/api/me`);
      assert.equal(me.status, 200, await me.clone().text());
      assert.equal(((await me.json()) as { email?: string }).email, 'demo@example.com');
      // Sign out with the home page's Server Action form, then in again with the same form.
      const signOut = await submitForm(user, `${baseUrl}/`);
      assert.equal(signOut.status, 303, await signOut.clone().text());
      const signedOut = await user.visit(new URL(signOut.headers.get('location') ?? '', baseUrl));
      assert.ok(
        signedOut.trail.some((url) => url.startsWith(`${running.idp.endpoint}/oidc/session/end`)),
        signedOut.trail.join('\n'),
      );
      assert.equal((await user.request(`${baseUrl}/api/me`)).status, 401);
      const signIn = await submitForm(user, `${baseUrl}/`);
      assert.equal(signIn.status, 303, await signIn.clone().text());
      const back = await user.visit(new URL(signIn.headers.get('location') ?? '', baseUrl));
      assert.equal(back.url, `${baseUrl}/dashboard`);
      assert.equal(back.status, 200);
    } catch (error) {
      t.diagnostic(running.output());
      throw error;
    } finally {
      await running.stop();
    }
  });

  it('Express 4, CommonJS JavaScript: with the provider stopped, stays up and answers 503', async (t) => {
    const dirs = await apps(t);
    if (!dirs) return;
    const running = await start(dirs['express-cjs'], 'server.js');
    try {
      const user = await signIn(running.baseUrl);
      await running.stopProvider(); // the API token is not cached yet: getting it needs the provider
      const token = await user.request(`${running.baseUrl}/api/token`, {
        headers: { accept: 'application/json' },
      });
      assert.equal(token.status, 503, await token.clone().text());
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(running.child.exitCode, null, `the app exited:\n${running.output()}`);
      const page = await user.request(`${running.baseUrl}/protected`);
      assert.equal(page.status, 200, 'the ID token claims need no provider');
    } finally {
      await running.stop();
    }
  });
});
