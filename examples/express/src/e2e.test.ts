import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { demo } from '@logto-kit/dev-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type ExampleEnv, startExample } from './test-env.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(executablePath);
// Without Chromium the test says so and is skipped — except in CI, where it must run.
const skip =
  hasChromium || process.env.CI ? false : `Chromium not found at ${executablePath}: skipped`;

describe('end to end in headless Chromium', { skip }, () => {
  let env: ExampleEnv;
  let browser: Browser;
  let page: Page;

  before(async () => {
    assert.ok(
      hasChromium,
      `Chromium is required in CI (${executablePath}); install the chromium package`,
    );
    env = await startExample();
    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
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
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.origin === env.idp.endpoint);
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
      path: `${process.env.E2E_SCREENSHOT_DIR ?? '/tmp'}/logto-kit-api-resource.png`,
    });

    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.waitForURL(`${env.baseUrl}/`);
    assert.match(await page.locator('#status').innerText(), /Not authenticated/);

    const response = await page.goto(`${env.baseUrl}/protected/no-redirect`);
    assert.equal(response?.status(), 401);
    assert.match(await page.locator('body').innerText(), /Not authenticated/);
  });

  it('shows a clear page, not a 500, for a stale callback (the back button after sign-in)', async () => {
    const response = await page.goto(`${env.baseUrl}/callback?code=stale&state=stale`);
    assert.equal(response?.status(), 400);
    assert.match(await page.locator('h1').innerText(), /Sign-in expired/);
  });
});
