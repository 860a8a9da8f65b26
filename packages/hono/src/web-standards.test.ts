import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import vm from 'node:vm';
import { createAdaptorServer } from '@hono/node-server';
import { type DevServer, demo, HeadlessUser } from '@logto-kit/dev-server';
import { credentials, optionsFor, startIdp } from '@logto-kit/testing/hono-app';
import { build, type Metafile } from 'esbuild';

/**
 * The globals a Worker runtime (WinterTC's minimum common API) offers. `process`, `Buffer`,
 * `global`, `require`, `setImmediate` and every other Node-only name are left out.
 */
const webGlobals = [
  'AbortController',
  'AbortSignal',
  'Blob',
  'ByteLengthQueuingStrategy',
  'CompressionStream',
  'CountQueuingStrategy',
  'Crypto',
  'CryptoKey',
  'DOMException',
  'DecompressionStream',
  'Event',
  'EventTarget',
  'File',
  'FormData',
  'Headers',
  'ReadableStream',
  'Request',
  'Response',
  'SubtleCrypto',
  'TextDecoder',
  'TextDecoderStream',
  'TextEncoder',
  'TextEncoderStream',
  'TransformStream',
  'URL',
  'URLSearchParams',
  'WritableStream',
  'atob',
  'btoa',
  'clearInterval',
  'clearTimeout',
  'console',
  'crypto',
  'fetch',
  'navigator',
  'performance',
  'queueMicrotask',
  'setInterval',
  'setTimeout',
  'structuredClone',
] as const;

/**
 * A vm context has JS built-ins of its own, but the Web APIs above are Node's and return Node's
 * `ArrayBuffer`s (`crypto.subtle.digest`, `TextEncoder`). In a Worker both come from one realm,
 * so the binary built-ins are shared too, or `instanceof ArrayBuffer` would fail on a realm
 * boundary no Worker has.
 */
const binaryBuiltIns = [
  'ArrayBuffer',
  'DataView',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int8Array',
  'Uint16Array',
  'Int16Array',
  'Uint32Array',
  'Int32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

const nodeOnly = ['process', 'Buffer', 'global', 'require', 'module', 'setImmediate', '__dirname'];

async function bundleForWorkers(): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: [new URL(import.meta.resolve('@logto-kit/testing/hono-worker')).pathname],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser', // Node built-ins do not resolve: importing one fails the build
    conditions: ['@logto-kit/source', 'worker', 'workerd', 'browser'],
    format: 'iife',
    globalName: 'worker',
    target: 'es2022',
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile };
}

type WorkerApp = { fetch: (request: Request) => Promise<Response> };

describe('Web standards only: bundled for workers, run with Node globals hidden', () => {
  let bundle: { code: string; metafile: Metafile };
  let idp: DevServer;
  let baseUrl: string;
  let server: ReturnType<typeof createAdaptorServer>;
  let sandbox: vm.Context;

  before(async () => {
    bundle = await bundleForWorkers();
    sandbox = vm.createContext(
      Object.fromEntries(
        [...webGlobals, ...binaryBuiltIns]
          .filter((name) => name in globalThis)
          .map((name) => [name, globalThis[name]]),
      ),
    );
    vm.runInContext(bundle.code, sandbox, { filename: 'worker.js' });
    let app: WorkerApp | undefined;
    // The host runtime is Node; the app runs in the sandbox, as a Worker runs on workerd.
    server = createAdaptorServer({
      fetch: (request) => app?.fetch(request) ?? new Response(),
      overrideGlobalObjects: false,
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
    idp = await startIdp(baseUrl);
    const options = optionsFor(idp.endpoint, { baseUrl });
    app = (sandbox.worker as { createWorkerApp: (json: string) => WorkerApp }).createWorkerApp(
      JSON.stringify(options),
    );
  });
  after(async () => {
    server?.close();
    await idp?.close();
  });

  it('bundles the adapter, core and their dependencies for a browser platform', () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    assert.deepEqual(
      inputs.filter((path) => path.startsWith('node:')),
      [],
    );
    const external = Object.values(bundle.metafile.inputs).flatMap((input) =>
      input.imports.filter((i) => i.external).map((i) => i.path),
    );
    assert.deepEqual(external, [], 'nothing is left for the runtime to provide');
    for (const expected of ['packages/hono/src/', 'packages/core/src/web/', 'node_modules/jose/']) {
      assert.ok(
        inputs.some((path) => path.includes(expected)),
        `${expected} is in the bundle`,
      );
    }
    assert.doesNotMatch(bundle.code, /\brequire\(\s*["']node:/);
  });

  it('runs where process, Buffer, global, require and setImmediate do not exist', () => {
    for (const name of nodeOnly) {
      assert.equal(vm.runInContext(`typeof ${name}`, sandbox), 'undefined', name);
    }
  });

  it('signs in, reads claims, userinfo and tokens, and signs out', async () => {
    const user = new HeadlessUser(credentials);
    const page = await user.visit(`${baseUrl}/protected`);
    assert.equal(page.url, `${baseUrl}/protected`);
    assert.equal(page.status, 200);
    assert.equal((JSON.parse(page.body) as { sub: string }).sub, 'demo-user-01');

    const userinfo = await user.request(`${baseUrl}/protected/userinfo`);
    assert.deepEqual(((await userinfo.json()) as { custom_data: unknown }).custom_data, {
      plan: 'pro',
    });
    const token = await user.request(`${baseUrl}/api/token`);
    assert.equal(((await token.json()) as { aud: string }).aud, demo.resource);
    const organization = await user.request(`${baseUrl}/api/organization`);
    assert.equal(
      ((await organization.json()) as { aud: string }).aud,
      'urn:logto:organization:acme',
    );

    const landing = await user.visit(`${baseUrl}/sign-out`);
    assert.equal(landing.url, `${baseUrl}/`);
    assert.deepEqual(user.cookieNames(baseUrl), []);
  });

  it('answers a stale callback with a 400 page and a signed-out API call with 401', async () => {
    const stale = await fetch(`${baseUrl}/callback?code=x&state=y`, {
      headers: { accept: 'text/html' },
    });
    assert.equal(stale.status, 400);
    assert.match(await stale.text(), /Sign-in expired/);
    const api = await fetch(`${baseUrl}/api/token`);
    assert.equal(api.status, 401);
    assert.ok(api.headers.get('www-authenticate'));
  });
});
