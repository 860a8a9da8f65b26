#!/usr/bin/env node
// Runs every `*.test.ts` under packages/ and examples/ with Node's test runner.
// Node 20 does not expand globs for `--test`, so the files are listed here.
// Usage: node scripts/test.mjs [path-substring ...]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skip = new Set(['node_modules', 'dist', 'coverage', '.git']);

function collect(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collect(path, out);
    else if (entry.name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ['packages', 'examples', 'bench', 'scripts']
  .flatMap((dir) => {
    try {
      return collect(join(root, dir), []);
    } catch {
      return []; // the folder does not exist yet
    }
  })
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--conditions=@logto-kit/source', '--import', 'tsx', '--test', ...files],
  { cwd: root, stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
