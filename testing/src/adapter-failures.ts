// What every web adapter shows when something fails, as one suite run inside the adapter
// behaviour suite (same app, same dev server): the status by meaning, the page's wording, the
// stable JSON code, and the one log line that says why — never with a token, code or secret.
// The suite app also serves GET /api/organization/:id → the organization token's claims.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { before, describe, it } from 'node:test';
import { type LogtoWebOptions, SignInRefusedError } from '@logto-kit/core';
import { type DevServer, demo, HeadlessUser } from '@logto-kit/dev-server';

// biome-ignore lint/suspicious/noExplicitAny: each adapter narrows the framework request type
type AnyWebOptions = LogtoWebOptions<any>;

/** The part of the behaviour suite's served app this suite uses. */
interface ServedApp {
  readonly baseUrl: string;
  mount(options: AnyWebOptions): void;
  readonly fetch: typeof fetch;
}

/** What the failure suite needs of the behaviour suite's fixtures (read once they exist). */
export interface FailureFixtures {
  served(): ServedApp;
  idp(): DevServer;
  options(overrides?: Partial<AnyWebOptions>): AnyWebOptions;
}

/** A logger that keeps every line, by level. */
function recorder() {
  const lines: { level: string; line: string }[] = [];
  const at = (level: string) => (line: string) => lines.push({ level, line });
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    /** The warn/error lines: what an operator sees by default. */
    loud: () => lines.filter((entry) => entry.level === 'warn' || entry.level === 'error'),
  };
}

/** No line holds a JWT, the app secret, or any of `secrets` (codes, states, cookie values). */
function assertNothingSecret(lines: readonly { line: string }[], secrets: readonly string[]) {
  for (const { line } of lines) {
    assert.doesNotMatch(line, /eyJ[\w-]+\.[\w-]+/, `a JWT in: ${line}`);
    assert.ok(!line.includes(demo.appSecret), `the app secret in: ${line}`);
    for (const secret of secrets.filter((value) => value.length >= 8)) {
      assert.ok(!line.includes(secret), `a secret value in: ${line}`);
    }
  }
}

/** A server that is not Logto: every path answers an HTML page. */
async function htmlServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><h1>Welcome</h1>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function describeAdapterFailures(name: string, fixtures: FailureFixtures): void {
  describe(`${name}: failures say why`, () => {
    let served: ServedApp;
    let idp: DevServer;
    before(() => {
      served = fixtures.served();
      idp = fixtures.idp();
    });
    const user = () =>
      new HeadlessUser({ username: demo.username, password: demo.password }, served.fetch);
    const page = (path: string) =>
      served.fetch(`${served.baseUrl}${path}`, {
        redirect: 'manual',
        headers: { accept: 'text/html' },
      });

    it('a wrong app secret: 500 "misconfigured" page, one error line naming the fix', async () => {
      const log = recorder();
      served.mount(
        fixtures.options({ appSecret: 'a-wrong-secret-0123456789', logger: log.logger }),
      );
      const browser = user();
      const start = await browser.visit(`${served.baseUrl}/sign-in`, {
        stopAt: (url) => url.pathname === '/callback',
      });
      const callback = new URL(start.url);
      const response = await browser.request(callback, { headers: { accept: 'text/html' } });
      assert.equal(response.status, 500);
      const html = await response.text();
      assert.match(html, /This app is misconfigured/);
      assert.match(html, /server log/);
      assert.deepEqual(browser.cookieNames(served.baseUrl), [], 'no session');
      const [line, ...more] = log.loud();
      assert.equal(more.length, 0, 'one line');
      assert.equal(line?.level, 'error');
      assert.match(line!.line, /\[oauth\.invalid_client\]/);
      assert.match(line!.line, new RegExp(`${idp.issuer}/token`));
      assert.match(line!.line, /HTTP 401 invalid_client/);
      assert.match(line!.line, /LOGTO_APP_ID \/ LOGTO_APP_SECRET/);
      const params = callback.searchParams;
      assertNothingSecret(log.lines, [
        params.get('code') ?? '',
        params.get('state') ?? '',
        'a-wrong-secret-0123456789',
      ]);
    });

    it('an endpoint with /oidc: 502, and the line says the endpoint has no /oidc', async () => {
      const log = recorder();
      served.mount(fixtures.options({ endpoint: `${idp.endpoint}/oidc`, logger: log.logger }));
      const response = await page('/sign-in');
      assert.equal(response.status, 502);
      assert.match(await response.text(), /invalid response/);
      const [line, ...more] = log.loud();
      assert.equal(more.length, 0);
      assert.match(line!.line, /discovery failed \[provider\.invalid_response\]/);
      assert.match(line!.line, /\/oidc\/oidc\/\.well-known\/openid-configuration/);
      assert.match(line!.line, /HTTP 404/);
      assert.match(line!.line, /LOGTO_ENDPOINT .* is the tenant URL without \/oidc/);
      const json = await served.fetch(`${served.baseUrl}/sign-in`, { redirect: 'manual' });
      assert.deepEqual(await json.json(), {
        error: 'provider.invalid_response',
        message: 'The identity provider sent an invalid response.',
      });
    });

    it('a URL that is not Logto: 502, and the line says the answer is not Logto', async () => {
      const { url, server } = await htmlServer();
      try {
        const log = recorder();
        served.mount(fixtures.options({ endpoint: url, logger: log.logger }));
        assert.equal((await page('/sign-in')).status, 502);
        const [line] = log.loud();
        assert.match(line!.line, new RegExp(`${url}/oidc/\\.well-known/openid-configuration`));
        assert.match(line!.line, /not JSON \(an HTML page\?\)/);
        assert.match(line!.line, /URL of a Logto tenant/);
      } finally {
        server.close();
      }
    });

    it('nothing listening: 503 "unreachable", and the line says connection refused', async () => {
      const port = await closedPort();
      const log = recorder();
      served.mount(fixtures.options({ endpoint: `http://127.0.0.1:${port}`, logger: log.logger }));
      const response = await page('/sign-in');
      assert.equal(response.status, 503);
      assert.match(await response.text(), /cannot be reached/);
      const [line] = log.loud();
      assert.match(line!.line, /\[provider\.unavailable\]/);
      assert.match(line!.line, /ECONNREFUSED/);
      assert.match(
        line!.line,
        new RegExp(`Nothing is listening at http://127\\.0\\.0\\.1:${port}`),
      );
    });

    it('the provider unreachable while signed in: pages say so and offer a retry; sign-out still ends the session here', async () => {
      const log = recorder();
      served.mount(fixtures.options({ logger: log.logger }));
      const browser = user();
      await browser.visit(`${served.baseUrl}/sign-in`);
      assert.equal((await browser.request(`${served.baseUrl}/api/me`)).status, 200);
      const port = await closedPort();
      served.mount(fixtures.options({ endpoint: `http://127.0.0.1:${port}`, logger: log.logger }));
      const signOut = await browser.request(`${served.baseUrl}/sign-out`, {
        headers: { accept: 'text/html' },
      });
      assert.equal(signOut.status, 503);
      const html = await signOut.text();
      assert.match(html, /Signed out of this app/);
      assert.match(html, /could not be reached/);
      assert.match(html, /<a href="">Try again<\/a>/);
      assert.equal((await browser.request(`${served.baseUrl}/api/me`)).status, 401, 'signed out');
      assert.ok(
        log.loud().some((entry) => /\[provider\.unavailable\]/.test(entry.line)),
        'the cause is logged',
      );
    });

    it('a provider that never answers: 504 after `timeout`, and the line names the URL and the timeout', async () => {
      const sockets = new Set<Socket>();
      const hung = createServer(() => {}); // accepts, reads, never answers
      hung.on('connection', (socket) => sockets.add(socket));
      hung.listen(0, '127.0.0.1');
      await once(hung, 'listening');
      const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
      try {
        const log = recorder();
        served.mount(fixtures.options({ endpoint: url, timeout: 300, logger: log.logger }));
        const response = await page('/sign-in');
        assert.equal(response.status, 504);
        const html = await response.text();
        assert.match(html, /did not answer in time/);
        assert.match(html, /<a href="">Try again<\/a>/);
        const [line] = log.loud();
        assert.match(line!.line, /\[provider\.timeout\]/);
        assert.match(line!.line, new RegExp(`${url}/oidc/\\.well-known/openid-configuration`));
        assert.match(line!.line, /No answer within 300 ms \(the `timeout` option\)/);
      } finally {
        for (const socket of sockets) socket.destroy();
        hung.close();
      }
    });

    it('an organization the user is not a member of: 403 "No access", not a provider error', async () => {
      const log = recorder();
      served.mount(
        fixtures.options({
          scopes: ['email', 'urn:logto:scope:organizations'],
          logger: log.logger,
        }),
      );
      const browser = user();
      await browser.visit(`${served.baseUrl}/sign-in`);
      const member = await browser.request(
        `${served.baseUrl}/api/organization/${demo.organizationId}`,
      );
      assert.equal(member.status, 200);
      const refused = await browser.request(`${served.baseUrl}/api/organization/globex`);
      assert.equal(refused.status, 403);
      assert.deepEqual(await refused.json(), {
        error: 'oauth.access_denied',
        message: 'Your account does not have access to this. Ask an administrator if it should.',
      });
      const html = await browser.request(`${served.baseUrl}/api/organization/globex`, {
        headers: { accept: 'text/html' },
      });
      assert.equal(html.status, 403);
      assert.match(await html.text(), /No access/);
      assert.equal(
        (await browser.request(`${served.baseUrl}/api/me`)).status,
        200,
        'still signed in',
      );
      const [line] = log.loud();
      assert.match(line!.line, /\[oauth\.access_denied\]/);
      assert.match(line!.line, /HTTP 403 access_denied "user is not a member of the organization"/);
      const cookie = browser.cookieHeader(`${served.baseUrl}/`);
      assertNothingSecret(log.lines, cookie.split(/[;=]\s*/));
    });

    it('afterCallback refuses with SignInRefusedError: 403 with its words, no session', async () => {
      const log = recorder();
      served.mount(
        fixtures.options({
          logger: log.logger,
          afterCallback: ({ claims }) => {
            if (claims.sub === 'demo-user-01') {
              throw new SignInRefusedError('Only staff accounts can sign in here.');
            }
          },
        }),
      );
      const browser = user();
      const result = await browser.visit(`${served.baseUrl}/sign-in`);
      assert.equal(result.status, 403);
      assert.deepEqual(JSON.parse(result.body), {
        error: 'sign_in.refused',
        message: 'Only staff accounts can sign in here.',
      });
      assert.deepEqual(browser.cookieNames(served.baseUrl), []);
      assert.equal((await browser.request(`${served.baseUrl}/api/me`)).status, 401);
      assert.deepEqual(log.loud(), [], 'a refusal is a decision, not a failure');
    });

    it('afterCallback throws anything else: logged, 500 page, no stack trace, no session', async () => {
      const log = recorder();
      served.mount(
        fixtures.options({
          logger: log.logger,
          afterCallback: () => {
            throw new RangeError('the member directory is down');
          },
        }),
      );
      const browser = user();
      const start = await browser.visit(`${served.baseUrl}/sign-in`, {
        stopAt: (url) => url.pathname === '/callback',
      });
      const response = await browser.request(start.url, { headers: { accept: 'text/html' } });
      assert.equal(response.status, 500);
      const html = await response.text();
      assert.match(html, /Sign-in failed/);
      assert.doesNotMatch(html, /RangeError|member directory|at .*\.ts/);
      assert.deepEqual(browser.cookieNames(served.baseUrl), []);
      const [line, ...more] = log.loud();
      assert.equal(more.length, 0);
      assert.equal(line?.level, 'error');
      assert.match(line!.line, /afterCallback threw RangeError: the member directory is down/);
      const params = new URL(start.url).searchParams;
      assertNothingSecret(log.lines, [params.get('code') ?? '', params.get('state') ?? '']);
    });
  });
}
