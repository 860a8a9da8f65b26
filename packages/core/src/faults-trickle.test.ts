/**
 * A provider that sends its headers and then trickles the body, one byte a second, while the
 * garbage collector runs: the deadline must hold for the whole exchange, body included. The
 * timers behind the deadline must survive a collection, so these tests force `gc()` between
 * every step; without `--expose-gc` the file runs itself again in a child that has it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { API_RESOURCE, clientFor, signInWith } from '@logto-kit/testing/test-client';
import { TestProvider } from '@logto-kit/testing/test-provider';
import { ProviderTimeoutError } from './errors.js';
import { createProviderFetch } from './lib/http.js';

const gc = (globalThis as { gc?: () => void }).gc;
const timeout = 500;

async function elapsed(run: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await run();
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

/** Runs `run` while forcing a full collection every 20 ms. */
async function underGc<T>(run: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => gc?.(), 20);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Answers `200` with JSON headers, then one byte a second for as long as the client listens;
 * with `forward` set, token requests go to the real test provider instead.
 */
class TricklingProxy {
  trickle = true;
  readonly #server: Server;
  constructor(readonly forward: string) {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }
  async start(): Promise<void> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
  }
  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/token`;
  }
  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!this.trickle) {
      const answer = await fetch(this.forward, {
        method: 'POST',
        headers: {
          'content-type': req.headers['content-type'] ?? '',
          authorization: req.headers.authorization ?? '',
        },
        body: Buffer.concat(chunks),
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(await answer.text());
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
    const timer = setInterval(() => res.write(' '), 1_000);
    res.on('close', () => clearInterval(timer));
  }
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

if (!gc) {
  describe('a provider that trickles its body', () => {
    it('runs under --expose-gc in a child process', () => {
      const child = spawnSync(
        process.execPath,
        [
          '--expose-gc',
          '--conditions=@logto-kit/source',
          '--import',
          'tsx',
          '--test',
          fileURLToPath(import.meta.url),
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
    });
  });
} else {
  describe('a provider that trickles its body (with forced garbage collection)', () => {
    let provider: TestProvider;
    let proxy: TricklingProxy;
    before(async () => {
      provider = await TestProvider.start();
      proxy = new TricklingProxy(`${provider.endpoint}${provider.paths.token}`);
      await proxy.start();
      provider.discoveryHook = (body) => {
        body.token_endpoint = proxy.url;
      };
    });
    after(async () => {
      await proxy.close();
      await provider.close();
    });

    it('fails a bare provider request with provider.timeout within the timeout', async () => {
      const fetch = createProviderFetch(undefined, timeout);
      const { error, ms } = await underGc(() =>
        elapsed(async () => (await fetch(proxy.url, { method: 'POST' })).text()),
      );
      assert.ok(error instanceof ProviderTimeoutError, String(error));
      assert.ok(ms < timeout + 1_000, `${ms} ms`);
    });

    it('fails a refresh within the timeout, and a later refresh of the same token is not wedged', async () => {
      proxy.trickle = false;
      const { client, storage } = clientFor(provider, { timeout });
      await signInWith(provider, client);
      const refreshToken = storage.get('refreshToken');
      proxy.trickle = true;
      const first = await underGc(() => elapsed(() => client.getAccessToken(API_RESOURCE)));
      assert.ok(first.error instanceof ProviderTimeoutError, String(first.error));
      assert.ok(first.ms < timeout + 1_000, `${first.ms} ms`);
      assert.equal(storage.get('refreshToken'), refreshToken, 'the session is kept');

      // Still trickling: a second caller has its own deadline.
      const second = await underGc(() => elapsed(() => client.getAccessToken(API_RESOURCE)));
      assert.ok(second.error instanceof ProviderTimeoutError, String(second.error));
      assert.ok(second.ms < timeout + 1_000, `${second.ms} ms`);

      // The provider recovers: within a bounded time the same refresh token works again.
      proxy.trickle = false;
      let token: string | undefined;
      const started = Date.now();
      for (let attempt = 0; attempt < 20 && token === undefined; attempt += 1) {
        try {
          token = await underGc(() => client.getAccessToken(API_RESOURCE));
        } catch (error) {
          assert.ok(error instanceof ProviderTimeoutError, String(error));
          await sleep(100);
        }
      }
      assert.ok(token, 'the session works again');
      assert.ok(Date.now() - started < 4 * timeout + 2_000, `${Date.now() - started} ms`);
    });
  });
}
