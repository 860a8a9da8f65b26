// Every publishable package builds, passes publint, packs only what users need (no tests, test
// helpers or fixtures: those live in the private @logto-kit/testing), and loads with require()
// from CommonJS (Node >= 20.19 loads ESM synchronously) as well as with import.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { publint } from 'publint';

const run = promisify(execFile);

/** What a published tarball may hold; anything else fails the packing test. */
const packable = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE(\.md)?$/,
  /^bin\/[\w-]+\.js$/,
  /^dist\/[\w/.-]+\.(js|d\.ts)(\.map)?$/,
  /^src\/[\w/.-]+(?<!\.test)\.ts$/,
];
/** Names of tests, test helpers and fixtures: none of them may be published. */
const testish = /test|testing|fixture/i;
const root = new URL('..', import.meta.url).pathname;
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir) }))
  .map(({ dir }) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => !manifest.private);

describe('published packages', { concurrency: 1 }, () => {
  for (const { dir, manifest } of packages) {
    describe(manifest.name, () => {
      it('builds with tsc and passes publint', async () => {
        await run(
          process.execPath,
          [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
          {
            cwd: dir,
          },
        );
        const { messages } = await publint({ pkgDir: dir, level: 'warning', strict: true });
        assert.deepEqual(
          messages.map((m) => `${m.code} ${m.path.join('.')}`),
          [],
        );
      });

      it('packs only its manifest, README, licence, dist and non-test source', async () => {
        const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], { cwd: dir });
        const [tarball] = JSON.parse(stdout) as [{ name: string; files: { path: string }[] }];
        assert.equal(tarball.name, manifest.name);
        const paths = tarball.files.map((file) => file.path).sort();
        assert.ok(paths.includes('package.json') && paths.includes('dist/index.js'), 'built');
        assert.ok(paths.includes('LICENSE') && paths.includes('README.md'), 'LICENSE and README');
        assert.ok(paths.includes('dist/index.d.ts'), 'types');
        assert.deepEqual(
          paths.filter((path) => !packable.some((pattern) => pattern.test(path))),
          [],
          'files outside the allow-list',
        );
        assert.deepEqual(
          paths.filter((path) => testish.test(path)),
          [],
          'tests, test helpers or fixtures (move helpers to @logto-kit/testing)',
        );
      });

      it('builds itself on prepack, ships the root LICENSE and says where it comes from', () => {
        assert.match(manifest.scripts?.prepack ?? '', /npm run build$/);
        assert.equal(
          readFileSync(join(dir, 'LICENSE'), 'utf8'),
          readFileSync(join(root, 'LICENSE'), 'utf8'),
        );
        assert.equal(manifest.license, 'MIT');
        assert.equal(manifest.repository?.directory, `packages/${basename(dir)}`);
        assert.ok(manifest.keywords?.includes('logto'));
      });

      const entries = Object.keys(manifest.exports as Record<string, unknown>)
        .filter((subpath) => subpath !== './package.json')
        .map((subpath) =>
          subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
        );
      for (const entry of entries) {
        it(`loads ${entry} with require() and with import, outside the source condition`, async () => {
          const script = `
            const cjs = require(${JSON.stringify(entry)});
            import(${JSON.stringify(entry)}).then((esm) => {
              const names = Object.keys(cjs).sort();
              if (names.length === 0) throw new Error('no exports');
              if (JSON.stringify(names) !== JSON.stringify(Object.keys(esm).filter((k) => k !== 'default' && k !== 'module.exports').sort())) throw new Error('require and import differ');
              console.log(names.length);
            });`;
          const { stdout } = await run(process.execPath, ['-e', script], { cwd: root });
          assert.ok(Number(stdout.trim()) > 0);
        });
      }
    });
  }
});
