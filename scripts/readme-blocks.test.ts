// Every `ts`/`js` block in a README or under docs/ compiles as it stands, or is marked as a
// fragment that says why (the markers are described in scripts/readme-blocks.ts). Here the blocks
// are type-checked against the packages' source, strict, with `module: nodenext`;
// scripts/consumer.test.ts checks them again against the packed packages and runs the apps.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Type-checks each block as a module of its own; returns "README:line: message" per error. */
function typeCheck(checked: ReadmeBlock[]): string[] {
  // Inside the repository's node_modules, so that imports resolve to the workspace packages.
  const cache = join(repositoryRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'readme-blocks-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const files = new Map<string, ReadmeBlock>();
  for (const block of checked) {
    const path = join(dir, moduleFileName(block));
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

  it('hold the four consumer apps: Express ESM TypeScript, Express CommonJS, Hono, Fastify', () => {
    const apps = appSources(blocks);
    assert.deepEqual([...apps.keys()].sort(), ['express-cjs', 'express-esm', 'fastify', 'hono']);
    assert.ok(apps.get('express-esm')?.has('src/server.ts'));
    assert.ok(apps.get('express-cjs')?.has('server.js'));
    assert.ok(apps.get('hono')?.has('src/server.ts'));
    assert.ok(apps.get('fastify')?.has('src/server.ts'));
  });

  it('include the guides under docs/', () => {
    assert.ok(blocks.some((block) => block.readme.startsWith('docs/guides/')));
  });

  it('compile as they stand unless marked as fragments (strict, nodenext)', () => {
    const checked = blocks.filter((block) => block.marker.kind !== 'fragment');
    assert.ok(checked.length >= 7, `found only ${checked.length} blocks to check`);
    assert.deepEqual(typeCheck(checked), []);
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
