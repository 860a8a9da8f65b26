#!/usr/bin/env node
// Installed from a tarball or the registry, and after `npm run build`: the compiled CLI.
// In a clone right after `npm ci` (no dist/ yet): the TypeScript source through tsx, which the
// repository installs, so `npx logto-dev` works before any build.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  let tsImport;
  try {
    ({ tsImport } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(
      'logto-dev: dist/ is missing and tsx is not installed; run `npm run build` in the repository\n',
    );
    process.exit(2);
  }
  await tsImport('../src/cli.ts', import.meta.url);
}
