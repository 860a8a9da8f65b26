// The checked-in API report (api/*.api.md) matches the packages' public surface: a change to any
// entry point's exports or signatures fails here until `npm run api:update` is run and reviewed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { report } from './api-report.js';

const apiDir = new URL('../api/', import.meta.url).pathname;

describe('public API report', () => {
  const current = report();

  it('has a checked-in report for every entry point, and no stale one', () => {
    const files = readdirSync(apiDir).filter((file) => file.endsWith('.api.md'));
    assert.deepEqual(files.sort(), [...current.keys()].sort());
  });

  for (const [file, text] of current) {
    it(`matches api/${file} (run npm run api:update and review the diff)`, () => {
      assert.equal(readFileSync(join(apiDir, file), 'utf8'), text);
    });
  }
});
