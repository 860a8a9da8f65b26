// The tests every example passes, route for route and in a browser: each example's test files
// call these with its own start-up. Not named *.test.ts: it runs only through them.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  type DevServer,
  defaultSeed,
  demo,
  HeadlessUser,
  type SeedInput,
  startDevServer,
} from '@logto-kit/dev-server';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, chromiumSkip, hasChromium, launchChromium } from './chromium.js';
import { type ExampleConfig, readConfig } from './config.js';

/** A running example: the dev server and the app on free loopback ports. */
export interface ExampleEnv {
  idp: DevServer;
  baseUrl: string;
  /** Where the auth routes live: `''` (`/sign-in`, the default) or e.g. `'/auth'` (Next.js). */
  authPrefix?: string;
  close(): Promise<void>;
}

/** Which parts of the sample an example serves (all by default). */
export interface ExampleParts {
  /**
   * The API half (`/api/notes` behind `requireAccessToken`, `/protected/api-call`,
   * `/protected/readers`, `/protected/machine`).
   */
  apiHalf?: boolean;
}

/** Options of a test example. */
export interface ExampleEnvOptions {
  /** Changes to the dev server's seed (strict rotation, short token lifetimes). */
  seed?: (seed: SeedInput) => SeedInput;
}

/**
 * Starts an example for tests: its server on a free loopback port (dispatching to the app once
 * it is built), the dev server with that app's redirect URIs, then the app from the settings
 * `npm start` would give it.
 *
 * @example
 * startExampleEnv((app) => createServer((req, res) => app()?.(req, res)), createApp);
 */
export async function startExampleEnv<App>(
  serverFor: (app: () => App | undefined) => Server,
  build: (config: ExampleConfig) => App,
  options: ExampleEnvOptions = {},
): Promise<ExampleEnv> {
  let app: App | undefined;
  const server = serverFor(() => app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://localhost:${port}`;
  const seed = defaultSeed({ appBaseUrl: baseUrl });
  const idp = await startDevServer({
    port: 0,
    quiet: true,
    seed: options.seed ? options.seed(seed) : seed,
  });
  app = build(
    readConfig({
      PORT: String(port),
      LOGTO_ENDPOINT: idp.endpoint,
      LOGTO_APP_ID: demo.appId,
      LOGTO_APP_SECRET: demo.appSecret,
      LOGTO_RESOURCE: demo.resource,
      LOGTO_SCOPES: 'read write read:projects',
      LOGTO_M2M_APP_ID: demo.machineAppId,
      LOGTO_M2M_APP_SECRET: demo.machineAppSecret,
    }),
  );
  return {
    idp,
    baseUrl,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await idp.close();
    },
  };
}

/**
 * The seed's Flask sample, route for route: what each page shows signed out and signed in.
 *
 * @example
 * describeExampleRoutes('Hono', startExample);
 */
export function describeExampleRoutes(
  framework: string,
  start: () => Promise<ExampleEnv>,
  options: ExampleParts = {},
): void {
  const apiHalf = options.apiHalf ?? true;
  describe(`${framework} example app, route for route`, () => {
    let env: ExampleEnv;
    let user: HeadlessUser;
    before(async () => {
      env = await start();
      user = new HeadlessUser({ username: demo.username, password: demo.password });
    });
    after(() => env.close());

    it('shows "Not authenticated" and a sign-in link when signed out', async () => {
      const response = await fetch(`${env.baseUrl}/`);
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.match(html, /Not authenticated/);
      assert.ok(html.includes(`href="${env.authPrefix ?? ''}/sign-in"`), 'links to sign-in');
      assert.match(html, new RegExp(`<title>Home · Logto ${framework} sample</title>`));
    });

    it('answers /protected/no-redirect with 401 JSON when signed out', async () => {
      const response = await fetch(`${env.baseUrl}/protected/no-redirect`);
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), {
        error: 'not_authenticated',
        message: 'Please sign in to continue.',
      });
    });

    it('signs in and shows who is signed in on /', async () => {
      const page = await user.visit(`${env.baseUrl}${env.authPrefix ?? ''}/sign-in`);
      assert.equal(page.url, `${env.baseUrl}/`);
      assert.match(page.body, /Signed in as <strong>Demo User<\/strong>/);
    });

    it('shows the ID token claims on /protected', async () => {
      const page = await user.visit(`${env.baseUrl}/protected`);
      assert.equal(page.status, 200);
      assert.match(page.body, /<th>sub<\/th><td><code>demo-user-01<\/code>/);
      assert.match(page.body, /<th>email<\/th><td><code>demo@example.com<\/code>/);
    });

    it('shows the userinfo on /protected/userinfo', async () => {
      const page = await user.visit(`${env.baseUrl}/protected/userinfo`);
      assert.match(page.body, /<th>custom_data<\/th>/);
      assert.match(page.body, /&#34;plan&#34;: &#34;pro&#34;/);
      assert.match(page.body, /<th>organization_data<\/th>/);
    });

    it('answers /protected/no-redirect with JSON when signed in', async () => {
      const response = await user.request(`${env.baseUrl}/protected/no-redirect`);
      assert.equal(response.status, 200);
      const { message } = (await response.json()) as { message: string };
      assert.match(message, /User is authenticated/);
    });

    it('shows the organization token for the first organization', async () => {
      const page = await user.visit(`${env.baseUrl}/protected/organizations`);
      assert.equal(page.status, 200);
      assert.match(page.body, /urn:logto:organization:acme/);
      assert.match(page.body, /<th>scope<\/th><td><code>read:projects<\/code>/);
    });

    it('shows the API resource token', async () => {
      const page = await user.visit(`${env.baseUrl}/protected/api-resource`);
      assert.equal(page.status, 200);
      assert.match(page.body, /<th>aud<\/th><td><code>https:\/\/api.example.com<\/code>/);
      assert.match(page.body, /<th>scope<\/th><td><code>read<\/code>/);
    });

    if (apiHalf) {
      it("calls its API server-side with the user's token and shows the answer", async () => {
        const page = await user.visit(`${env.baseUrl}/protected/api-call`);
        assert.equal(page.status, 200);
        assert.match(page.body, /<th>status<\/th><td><code>200<\/code>/);
        assert.match(page.body, /<th>subject<\/th><td><code>demo-user-01<\/code>/);
        assert.match(page.body, /<th>scopes<\/th><td><code>read<\/code>/);
      });

      it('answers the API without a token with 401 and a Bearer challenge', async () => {
        const response = await fetch(`${env.baseUrl}/api/notes`);
        assert.equal(response.status, 401);
        assert.equal(response.headers.get('www-authenticate'), `Bearer realm="${demo.resource}"`);
      });

      it('calls its API as the machine-to-machine app (client credentials, no user)', async () => {
        const page = await user.visit(`${env.baseUrl}/protected/machine`);
        assert.equal(page.status, 200);
        assert.match(page.body, /<th>status<\/th><td><code>200<\/code>/);
        assert.match(
          page.body,
          new RegExp(`<th>subject</th><td><code>${demo.machineAppId}</code>`),
        );
        assert.match(page.body, /<th>machine<\/th><td><code>true<\/code>/);
      });

      it('shows the readers-only page to the demo user (role reader)', async () => {
        const page = await user.visit(`${env.baseUrl}/protected/readers`);
        assert.equal(page.status, 200);
        assert.match(page.body, /You have the reader role/);
      });
    }

    it('signs out and shows "Not authenticated" again', async () => {
      const page = await user.visit(`${env.baseUrl}${env.authPrefix ?? ''}/sign-out`);
      assert.equal(page.url, `${env.baseUrl}/`);
      assert.match(page.body, /Not authenticated/);
    });

    if (apiHalf) {
      it('answers Bob (no role) 403 on the readers-only page, not a sign-in loop', async () => {
        const bob = new HeadlessUser({ username: 'bob', password: 'bob-password' });
        const page = await bob.visit(
          `${env.baseUrl}${env.authPrefix ?? ''}/sign-in?returnTo=/protected/readers`,
        );
        assert.equal(page.status, 403);
        assert.equal(page.url, `${env.baseUrl}/protected/readers`);
      });
    }

    it('tells a user outside any organization so, instead of failing', async () => {
      const bob = new HeadlessUser({ username: 'bob', password: 'bob-password' });
      const page = await bob.visit(
        `${env.baseUrl}${env.authPrefix ?? ''}/sign-in?returnTo=/protected/organizations`,
      );
      assert.equal(page.status, 200);
      assert.match(page.body, /not a member of any organization/);
    });

    it('shows a clear 400 page for a stale callback', async () => {
      const response = await fetch(
        `${env.baseUrl}${env.authPrefix ?? ''}/callback?code=stale&state=stale`,
        {
          headers: { accept: 'text/html' },
        },
      );
      assert.equal(response.status, 400);
      assert.match(await response.text(), /Sign-in expired/);
    });
  });
}

/**
 * The whole sample in headless Chromium. Without Chromium the suite says so and is skipped —
 * except in CI, where it must run.
 *
 * @example
 * describeExampleInBrowser('Hono', startExample);
 */
export function describeExampleInBrowser(
  framework: string,
  start: () => Promise<ExampleEnv>,
  options: ExampleParts = {},
): void {
  const apiHalf = options.apiHalf ?? true;
  const skip = chromiumSkip();

  describe(`${framework} example end to end in headless Chromium`, { skip }, () => {
    let env: ExampleEnv;
    let browser: Browser;
    let page: Page;

    before(async () => {
      assert.ok(
        hasChromium,
        `Chromium is required in CI (${chromiumPath}); install the chromium package`,
      );
      env = await start();
      browser = await launchChromium();
      page = await browser.newPage();
    });
    after(async () => {
      await browser?.close();
      await env?.close();
    });

    it('signs in through the dev server’s page, shows every page, and signs out', async () => {
      await page.goto(`${env.baseUrl}/`);
      assert.match(await page.locator('#status').innerText(), /Not authenticated/);

      await page.getByRole('link', { name: 'Sign in' }).first().click();
      await page.waitForURL(
        (url) => url.pathname === '/sign-in' && url.origin === env.idp.endpoint,
      );
      await page.fill('#username', demo.username);
      await page.fill('#password', demo.password);
      await page.click('#submit');
      await page.waitForURL(`${env.baseUrl}/`);
      assert.match(await page.locator('#status').innerText(), /Signed in as Demo User/);

      await page.goto(`${env.baseUrl}/protected`);
      assert.match(await page.locator('#claims').innerText(), /demo-user-01/);

      await page.goto(`${env.baseUrl}/protected/userinfo`);
      assert.match(await page.locator('#claims').innerText(), /"plan": "pro"/);

      await page.goto(`${env.baseUrl}/protected/organizations`);
      assert.match(await page.locator('#claims').innerText(), /urn:logto:organization:acme/);

      await page.goto(`${env.baseUrl}/protected/api-resource`);
      assert.match(await page.locator('#claims').innerText(), /https:\/\/api\.example\.com/);
      await page.screenshot({
        path: `${process.env.E2E_SCREENSHOT_DIR ?? '/tmp'}/logto-kit-${framework.toLowerCase()}-api-resource.png`,
      });

      if (apiHalf) {
        // The API half: the page calls /api/notes server-side with the user's token.
        await page.getByRole('link', { name: 'Call the API' }).click();
        await page.waitForURL(`${env.baseUrl}/protected/api-call`);
        assert.match(await page.locator('#claims').innerText(), /demo-user-01/);
        await page.goto(`${env.baseUrl}/protected/readers`);
        assert.match(await page.locator('main').innerText(), /You have the reader role/);
      }

      await page.getByRole('link', { name: 'Sign out' }).click();
      await page.waitForURL(`${env.baseUrl}/`);
      assert.match(await page.locator('#status').innerText(), /Not authenticated/);

      const response = await page.goto(`${env.baseUrl}/protected/no-redirect`);
      assert.equal(response?.status(), 401);
      assert.match(await page.locator('body').innerText(), /"error":"not_authenticated"/);
    });

    it('shows nobody’s data on Back after sign-out (no cached page)', async () => {
      const tab = await browser.newPage();
      try {
        await tab.goto(`${env.baseUrl}/protected/userinfo`);
        await tab.fill('#username', demo.username);
        await tab.fill('#password', demo.password);
        await tab.click('#submit');
        await tab.waitForURL(`${env.baseUrl}/protected/userinfo`);
        assert.match(await tab.locator('#claims').innerText(), /"plan": "pro"/);
        await tab.getByRole('link', { name: 'Sign out' }).first().click();
        await tab.waitForURL(`${env.baseUrl}/`);
        // Back through the provider's sign-out pages to the userinfo page.
        for (let step = 0; step < 6; step++) {
          // Back to a page that redirects as it loads (the signed-out /protected/userinfo goes to
          // sign-in) aborts the wait, or finds the page between two documents: go on back.
          await tab.goBack().catch((error: unknown) => {
            if (!/ERR_ABORTED|detached|Not attached to an active page/.test(String(error)))
              throw error;
          });
          if (new URL(tab.url()).pathname === '/protected/userinfo') break;
        }
        await tab.waitForLoadState();
        assert.doesNotMatch(await tab.locator('body').innerText(), /"plan": "pro"|demo-user-01/);
      } finally {
        await tab.close();
      }
    });

    it('shows a clear page, not a 500, for a stale callback (the back button after sign-in)', async () => {
      const response = await page.goto(
        `${env.baseUrl}${env.authPrefix ?? ''}/callback?code=stale&state=stale`,
      );
      assert.equal(response?.status(), 400);
      assert.match(await page.locator('h1').innerText(), /Sign-in expired/);
    });
  });
}
