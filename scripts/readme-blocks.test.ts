// Every `ts`/`js` block in a README or under docs/ compiles as it stands, or is marked as a
// fragment that says why (the markers are described in scripts/readme-blocks.ts). Here the blocks
// are type-checked against the packages' source, strict, with `module: nodenext`;
// scripts/consumer.test.ts checks them again against the packed packages and runs the apps.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import ts from 'typescript';
import {
  appSources,
  moduleFileName,
  type ReadmeBlock,
  readmeBlocks,
  repositoryRoot,
} from './readme-blocks.js';

const { blocks, problems } = readmeBlocks();

/** The files of the Next.js app: type-checked together as that app, not one by one. */
const isNextApp = (block: ReadmeBlock) =>
  block.marker.kind === 'app' && block.marker.app === 'next';

/**
 * Type-checks blocks, each written to the file `fileOf` names under one folder; returns
 * "README:line: message" per error.
 */
function typeCheck(
  checked: ReadmeBlock[],
  fileOf: (block: ReadmeBlock) => string = moduleFileName,
  options: ts.CompilerOptions = {},
): string[] {
  // Inside the repository's node_modules, so that imports resolve to the workspace packages.
  const cache = join(repositoryRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'readme-blocks-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const files = new Map<string, ReadmeBlock>();
  for (const block of checked) {
    const path = join(dir, fileOf(block));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, block.code);
    files.set(path, block);
  }
  const config = ts.getParsedCommandLineOfConfigFile(
    join(repositoryRoot, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  assert.ok(config, 'tsconfig.json parses');
  const program = ts.createProgram([...files.keys()], {
    ...config.options,
    // What an app's `strict` tsconfig says; a snippet may show a result it does not use.
    noUnusedLocals: false,
    noUnusedParameters: false,
    // JavaScript blocks: syntax only, as a JavaScript user gets (the consumer test runs them).
    allowJs: true,
    checkJs: false,
    noEmit: true,
    ...options,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && files.has(diagnostic.file.fileName))
    .map((diagnostic) => {
      const block = files.get(diagnostic.file!.fileName)!;
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      return `${block.readme}:${block.line + 1 + line}: TS${diagnostic.code} ${text}`;
    });
}

describe('README code blocks', () => {
  it('carry well-formed markers (`<!-- app: <name> <file> -->`, `<!-- fragment: <why> -->`)', () => {
    assert.deepEqual(
      problems.map(({ readme, line, problem }) => `${readme}:${line}: ${problem}`),
      [],
    );
  });

  it('hold the five consumer apps: Express ESM TypeScript, Express CommonJS, Hono, Fastify, Next.js', () => {
    const apps = appSources(blocks);
    assert.deepEqual([...apps.keys()].sort(), [
      'express-cjs',
      'express-esm',
      'fastify',
      'hono',
      'next',
    ]);
    assert.ok(apps.get('express-esm')?.has('src/server.ts'));
    assert.ok(apps.get('express-cjs')?.has('server.js'));
    assert.ok(apps.get('hono')?.has('src/server.ts'));
    assert.ok(apps.get('fastify')?.has('src/server.ts'));
    const next = [...(apps.get('next')?.keys() ?? [])].sort();
    for (const file of [
      'app/auth/[action]/route.ts',
      'app/layout.tsx',
      'lib/logto.ts',
      'proxy.ts',
    ]) {
      assert.ok(next.includes(file), `the Next.js app has ${file}`);
    }
    assert.ok(
      next.some((file) => /^app\/(.+\/)?page\.tsx$/.test(file)),
      'the Next.js app has a page',
    );
  });

  it('include the guides under docs/', () => {
    assert.ok(blocks.some((block) => block.readme.startsWith('docs/guides/')));
  });

  it('compile as they stand unless marked as fragments (strict, nodenext)', () => {
    const checked = blocks.filter((block) => block.marker.kind !== 'fragment' && !isNextApp(block));
    assert.ok(checked.length >= 7, `found only ${checked.length} blocks to check`);
    assert.deepEqual(typeCheck(checked), []);
  });

  it("compile together as the Next.js app's files (strict, bundler resolution, JSX)", () => {
    const app = blocks.filter(isNextApp);
    assert.ok(app.length >= 5, `found only ${app.length} files of the Next.js app`);
    // What `next build` checks them with (its tsconfig); it also runs in the consumer test.
    const fileOf = (block: ReadmeBlock) => (block.marker as { file: string }).file;
    const nextOptions = {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
    };
    assert.deepEqual(typeCheck(app, fileOf, nextOptions), []);
  });

  it('never use a `…` placeholder outside a fragment', () => {
    assert.deepEqual(
      blocks
        .filter(
          (block) =>
            block.marker.kind !== 'fragment' && /…/.test(block.code.replace(/\/\/.*$/gm, '')),
        )
        .map((block) => `${block.readme}:${block.line}`),
      [],
    );
  });
});
