import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { defaultSeed, startDevServer } from '@logto-kit/dev-server';
import { useTheClientDirectly } from '@logto-kit/testing/core-readme-example';

const here = new URL('.', import.meta.url);
const exampleSource = new URL(import.meta.resolve('@logto-kit/testing/core-readme-example'));

function dedent(lines: string[]): string {
  const indent = Math.min(
    ...lines.filter((line) => line.trim()).map((line) => line.length - line.trimStart().length),
  );
  return lines.map((line) => line.slice(indent)).join('\n');
}

describe('README "Use the client directly"', () => {
  it('shows exactly the code this test runs', async () => {
    const source = await readFile(exampleSource, 'utf8');
    const lines = source.split('\n');
    const start = lines.findIndex((line) => line.includes('// README:start'));
    const end = lines.findIndex((line) => line.includes('// README:end'));
    const example = dedent(lines.slice(start + 1, end));
    const readme = await readFile(new URL('../README.md', here), 'utf8');
    assert.ok(
      readme.includes(example),
      'README code block drifted from testing/src/core-readme-example.ts',
    );
  });

  it('runs against the local identity provider', async () => {
    const idp = await startDevServer({ port: 0, quiet: true, seed: defaultSeed() });
    try {
      const result = await useTheClientDirectly(idp.endpoint);
      assert.equal((result.claims as { sub: string }).sub, 'demo-user-01');
      assert.deepEqual((result.userInfo as { custom_data: unknown }).custom_data, { plan: 'pro' });
      assert.match(String(result.apiToken), /^ey/);
      assert.match(String(result.organizationToken), /^ey/);
      assert.match(String(result.signOutUrl), /\/oidc\/session\/end\?client_id=/);
    } finally {
      await idp.close();
    }
  });
});
