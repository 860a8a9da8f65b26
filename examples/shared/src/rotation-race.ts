// The strict-rotation cookie race in a real browser, for every example: one Chromium context (one
// cookie jar, where the Set-Cookie that arrives last wins), signed in, then several tabs opened
// at once after the access tokens expired — each tab's request carries the same refresh token,
// each response writes the session cookie, in whatever order the browser receives them. The
// simulated-jar version with the adversarial order is packages/express/src/rotation-race.test.ts.
// Not named *.test.ts: it runs only through each example's rotation-race.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { demo, type SeedInput } from '@logto-kit/dev-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath, chromiumSkip, hasChromium, launchChromium } from './chromium.js';
import type { ExampleEnv } from './testing.js';

/** Seconds: the access tokens of {@link strictRotation}. */
export const raceTtl = 5;

/** Strict rotation (any reuse of a refresh token revokes the grant), 5-second access tokens. */
export const strictRotation = (seed: SeedInput): SeedInput => ({
  ...seed,
  refreshTokenRotation: 'strict',
  ttl: { ...seed.ttl, accessToken: raceTtl },
  resources: seed.resources?.map((resource) => ({ ...resource, accessTokenTtl: raceTtl })),
});

/**
 * The tabs opened at once: four on the page that needs a fresh API-resource token, one that
 * needs a fresh organization token, one that needs a fresh default token (userinfo) — three
 * refreshes of one refresh token, under strict rotation.
 */
const tabPaths = [
  ...Array.from({ length: 4 }, () => '/protected/api-resource'),
  '/protected/organizations',
  '/protected/userinfo',
];

/** One claim of the claims table a page shows. */
function claimOf(html: string, name: string): string | undefined {
  return new RegExp(`<th>${name}</th><td><code>([^<]*)</code>`).exec(html)?.[1];
}

/** Opens every tab at once, and checks that each shows its page, signed in, with fresh tokens. */
async function openTabsAtOnce(context: BrowserContext, env: ExampleEnv, round: string) {
  const tabs: Page[] = await Promise.all(tabPaths.map(() => context.newPage()));
  try {
    const responses = await Promise.all(
      tabs.map((tab, index) => tab.goto(`${env.baseUrl}${tabPaths[index]}`)),
    );
    for (const [index, tab] of tabs.entries()) {
      const path = tabPaths[index] as string;
      const label = `${round}, tab ${index} (${path})`;
      assert.equal(new URL(tab.url()).origin, env.baseUrl, `${label}: not sent to sign in`);
      assert.equal(new URL(tab.url()).pathname, path, `${label}: stays on its page`);
      assert.equal(responses[index]?.status(), 200, `${label}: status`);
      const html = await tab.content();
      assert.match(html, /Signed in as|id="claims"/, `${label}: a signed-in page`);
      if (path === '/protected/api-resource') {
        assert.equal(claimOf(html, 'aud'), demo.resource, `${label}: shows the API token`);
        const exp = Number(claimOf(html, 'exp'));
        assert.ok(exp * 1000 > Date.now(), `${label}: the token the page got is fresh`);
      } else if (path === '/protected/organizations') {
        assert.match(html, /urn:logto:organization:acme/, `${label}: the organization token`);
      } else {
        assert.match(html, /plan/, `${label}: the userinfo`);
      }
    }
  } finally {
    await Promise.all(tabs.map((tab) => tab.close()));
  }
}

/** Options of {@link describeRotationRaceInBrowser}. */
export interface RotationRaceOptions<Env extends ExampleEnv> {
  /**
   * Sends the second round to another instance of the app, one with no memory of the first
   * round's rotations: the refresh there uses whatever refresh token the cookie the browser kept
   * carries, so a spent one is refused (strict rotation). Without it both rounds reach one
   * process, whose 60-second memory of its rotations hides a spent token in the kept cookie.
   */
  elsewhere?: (env: Env) => void;
}

/**
 * Strict rotation in headless Chromium: sign in, let the access tokens expire, open several tabs
 * at once on pages that need fresh tokens; every tab shows its page, the provider refuses no
 * refresh (a replayed refresh token would revoke the grant), and after another expiry the
 * session still works. Skipped without Chromium, except in CI.
 *
 * @example
 * describeRotationRaceInBrowser('Hono', (seed) => startExample({ seed }));
 */
export function describeRotationRaceInBrowser<Env extends ExampleEnv>(
  framework: string,
  start: (seed: (seed: SeedInput) => SeedInput) => Promise<Env>,
  options: RotationRaceOptions<Env> = {},
): void {
  describe(`${framework} example: the strict-rotation race in headless Chromium`, {
    skip: chromiumSkip(),
  }, () => {
    let env: Env;
    let browser: Browser;

    before(async () => {
      assert.ok(
        hasChromium,
        `Chromium is required in CI (${chromiumPath}); install the chromium package`,
      );
      env = await start(strictRotation);
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await env?.close();
    });

    it('serves several tabs opened at once after an expiry, refuses no refresh, and goes on', async (t) => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${env.baseUrl}${env.authPrefix ?? ''}/sign-in`);
        await page.waitForURL((url) => url.origin === env.idp.endpoint);
        await page.fill('#username', demo.username);
        await page.fill('#password', demo.password);
        await page.click('#submit');
        await page.waitForURL(`${env.baseUrl}/`);
        assert.match(await page.locator('#status').innerText(), /Signed in as Demo User/);
        await page.close();
        env.idp.resetCounts();

        for (const round of ['first expiry', 'second expiry']) {
          if (round === 'second expiry') options.elsewhere?.(env);
          await sleep((raceTtl + 1) * 1000); // every access token in the cookie has expired
          await openTabsAtOnce(context, env, round);
          assert.equal(
            env.idp.grantCount('refresh_token', 'refused'),
            0,
            `${round}: no refresh token replayed`,
          );
        }
        const grants = env.idp.grantCount('refresh_token', 'issued');
        t.diagnostic(`${framework}: ${grants} refresh grants over two expiries`);
        assert.ok(grants >= 2, 'the tabs refreshed (at least one grant per expiry)');
      } finally {
        await context.close();
      }
    });
  });
}
