import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { demo } from '@logto-kit/dev-server';
import { appBaseUrl, sessionSecret, startIdp, userOf } from '@logto-kit/testing/hono-app';
import { createReadmeApp } from '@logto-kit/testing/hono-readme-app';

const here = new URL('.', import.meta.url);

function dedent(lines: string[]): string {
  const indent = Math.min(
    ...lines.filter((line) => line.trim()).map((line) => line.length - line.trimStart().length),
  );
  return lines.map((line) => line.slice(indent)).join('\n');
}

describe('README example', () => {
  it('shows exactly the code this test runs', async () => {
    const source = await readFile(
      new URL(import.meta.resolve('@logto-kit/testing/hono-readme-app')),
      'utf8',
    );
    const lines = source.split('\n');
    const start = lines.findIndex((line) => line.includes('// README:start'));
    const end = lines.findIndex((line) => line.includes('// README:end'));
    const example = dedent(lines.slice(start + 1, end));
    const readme = await readFile(new URL('../README.md', here), 'utf8');
    assert.ok(
      readme.includes(example),
      'README code block drifted from testing/src/hono-readme-app.ts',
    );
  });

  it('signs in against the local identity provider and calls the API route', async () => {
    const idp = await startIdp();
    try {
      const app = createReadmeApp({
        LOGTO_ENDPOINT: idp.endpoint,
        LOGTO_APP_ID: demo.appId,
        LOGTO_APP_SECRET: demo.appSecret,
        BASE_URL: appBaseUrl,
        SESSION_SECRET: sessionSecret,
      });
      assert.equal((await app.request('/api/me')).status, 401);
      const user = userOf(app);
      const page = await user.visit(`${appBaseUrl}/protected`);
      assert.equal((JSON.parse(page.body) as { email: string }).email, 'demo@example.com');
      const me = await user.request(`${appBaseUrl}/api/me`);
      assert.deepEqual(await me.json(), { sub: 'demo-user-01', scope: 'read' });
      assert.equal(await (await user.request(`${appBaseUrl}/`)).text(), 'Signed in');
    } finally {
      await idp.close();
    }
  });
});
