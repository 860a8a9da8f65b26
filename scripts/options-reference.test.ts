// docs/options.md cannot drift from the options schema: every option of `logtoWebOptionsSchema`
// (nested objects included) has a row, every row is an option, and the defaults and units the
// rows give are the ones in the code.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { DEFAULT_CLOCK_TOLERANCE, DEFAULT_TIMEOUT } from '../packages/core/src/config.js';
import { LOGOUT_TOKEN_MAX_AGE } from '../packages/core/src/logout-token.js';
import {
  ACCESS_TOKEN_CLOCK_TOLERANCE,
  ACCESS_TOKEN_OPTION_NAMES,
  JWKS_MAX_AGE,
  VERIFIED_TOKEN_CACHE_SIZE,
} from '../packages/core/src/resource-server/options.js';
import {
  DEFAULT_OTHER_COOKIES_ALLOWANCE,
  MAX_COOKIE_HEADER_BYTES,
} from '../packages/core/src/session/budget.js';
import { MAX_SET_COOKIE_BYTES } from '../packages/core/src/session/chunks.js';
import { DEFAULT_COOKIE_PREFIX } from '../packages/core/src/session/cookie.js';
import { DEFAULT_SESSION_DURATIONS } from '../packages/core/src/session/session.js';
import { LogtoWeb } from '../packages/core/src/web/logto-web.js';
import { logtoWebOptionsSchema } from '../packages/core/src/web/options.js';
import { readmePaths, repositoryRoot } from './readme-blocks.js';

/** Every option path of a schema: `session`, `session.rolling`, `session.budget.…`, … */
function optionPaths(schema: z.ZodType, prefix = ''): string[] {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries(inner.shape).flatMap(([key, value]) => [
    `${prefix}${key}`,
    ...optionPaths(value as z.ZodType, `${prefix}${key}.`),
  ]);
}

interface Row {
  type: string;
  unit: string;
  defaultValue: string;
}

/** The rows of the tables headed `| option | type | unit | default | what it does |`. */
function documentedRows(markdown: string): Map<string, Row> {
  const rows = new Map<string, Row>();
  let inTable = false;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      inTable = false;
      continue;
    }
    // Split on unescaped pipes only (types write `a \| b`).
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    if (cells[0] === 'option') {
      assert.deepEqual(cells, ['option', 'type', 'unit', 'default', 'what it does']);
      inTable = true;
      continue;
    }
    if (!inTable || /^-+$/.test(cells[0] ?? '')) continue;
    const name = /^`([\w.]+)`$/.exec(cells[0] ?? '')?.[1];
    assert.ok(name, `docs/options.md: the first cell of "${line}" is not an option name`);
    assert.ok(!rows.has(name), `docs/options.md: ${name} has two rows`);
    rows.set(name, { type: cells[1] ?? '', unit: cells[2] ?? '', defaultValue: cells[3] ?? '' });
  }
  return rows;
}

const markdown = readFileSync(join(repositoryRoot, 'docs', 'options.md'), 'utf8');
/** The resource servers' section has its own options, some with the client's names. */
const resourceServerHeading = '## Resource servers: `requireAccessToken`';
const sectionStart = markdown.indexOf(resourceServerHeading);
assert.ok(sectionStart > 0, `docs/options.md has no "${resourceServerHeading}" section`);
const sectionEnd = markdown.indexOf('\n## ', sectionStart + resourceServerHeading.length);
const rows = documentedRows(
  markdown.slice(0, sectionStart) + (sectionEnd === -1 ? '' : markdown.slice(sectionEnd)),
);
const resourceServerRows = documentedRows(
  markdown.slice(sectionStart, sectionEnd === -1 ? undefined : sectionEnd),
);
const paths = optionPaths(logtoWebOptionsSchema);

describe('docs/options.md', () => {
  it('has a row for every option of the schema, nested ones included', () => {
    assert.ok(paths.includes('session.touchInterval') && paths.includes('routes.signIn'));
    assert.ok(
      paths.includes('signInOptions.loginHint') && paths.includes('backchannelLogout.maxAge'),
    );
    assert.deepEqual(
      paths.filter((path) => !rows.has(path)),
      [],
    );
  });

  it('has no row for something that is not an option', () => {
    assert.deepEqual(
      [...rows.keys()].filter((name) => !paths.includes(name)),
      [],
    );
  });

  it('gives each option a type and a default', () => {
    for (const [name, row] of rows) {
      assert.ok(row.type, `${name}: no type`);
      assert.ok(row.defaultValue, `${name}: no default (write "required" or "none")`);
    }
  });

  it('gives the units and defaults the code has', () => {
    const routes = new LogtoWeb({
      endpoint: 'http://localhost:3001',
      appId: 'app',
      baseUrl: 'http://localhost:3000',
      session: { secret: 'x'.repeat(32) },
    }).routes;
    const expected: Record<string, { unit?: string; defaultValue: string }> = {
      timeout: { unit: 'milliseconds', defaultValue: String(DEFAULT_TIMEOUT) },
      clockTolerance: { unit: 'seconds', defaultValue: String(DEFAULT_CLOCK_TOLERANCE) },
      'session.rolling': {
        unit: 'seconds',
        defaultValue: String(DEFAULT_SESSION_DURATIONS.rolling),
      },
      'session.absolute': {
        unit: 'seconds',
        defaultValue: String(DEFAULT_SESSION_DURATIONS.absolute),
      },
      'session.touchInterval': {
        unit: 'seconds',
        defaultValue: String(DEFAULT_SESSION_DURATIONS.touchInterval),
      },
      'session.cookiePrefix': { defaultValue: `'${DEFAULT_COOKIE_PREFIX}'` },
      'session.budget.maxSetCookieBytes': {
        unit: 'bytes',
        defaultValue: String(MAX_SET_COOKIE_BYTES),
      },
      'session.budget.maxCookieHeaderBytes': {
        unit: 'bytes',
        defaultValue: String(MAX_COOKIE_HEADER_BYTES),
      },
      'session.budget.otherCookiesAllowance': {
        unit: 'bytes',
        defaultValue: String(DEFAULT_OTHER_COOKIES_ALLOWANCE),
      },
      'backchannelLogout.maxAge': { unit: 'seconds', defaultValue: String(LOGOUT_TOKEN_MAX_AGE) },
      prompt: { defaultValue: "'consent'" },
      ...Object.fromEntries(
        Object.entries(routes).map(([name, path]) => [
          `routes.${name}`,
          { defaultValue: `'${path}'` },
        ]),
      ),
    };
    for (const [name, { unit, defaultValue }] of Object.entries(expected)) {
      const row = rows.get(name);
      assert.ok(row, `${name}: no row`);
      if (unit) assert.equal(row.unit, unit, `${name}: unit`);
      assert.match(
        row.defaultValue,
        new RegExp(`^\`${defaultValue.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\``),
        `${name}: default`,
      );
    }
  });

  it('links the error-code table of the README', () => {
    assert.match(markdown, /\]\(\.\.\/README\.md#when-something-fails\)/);
    const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
    assert.match(readme, /^## When something fails$/m);
    assert.match(readme, /^\| code \| status \| meaning \| what to do \|$/m);
  });
});

describe('docs/options.md: requireAccessToken', () => {
  it('has a row for every option of RequireAccessTokenOptions, and no other', () => {
    assert.ok(ACCESS_TOKEN_OPTION_NAMES.includes('jwksMaxAge'));
    assert.deepEqual([...resourceServerRows.keys()].sort(), [...ACCESS_TOKEN_OPTION_NAMES].sort());
  });

  it('gives the units and defaults the code has', () => {
    const expected: Record<string, { unit: string; defaultValue: string }> = {
      clockTolerance: { unit: 'seconds', defaultValue: String(ACCESS_TOKEN_CLOCK_TOLERANCE) },
      jwksMaxAge: { unit: 'seconds', defaultValue: String(JWKS_MAX_AGE) },
      cacheSize: { unit: '', defaultValue: String(VERIFIED_TOKEN_CACHE_SIZE) },
      timeout: { unit: 'milliseconds', defaultValue: String(DEFAULT_TIMEOUT) },
    };
    for (const [name, { unit, defaultValue }] of Object.entries(expected)) {
      const row = resourceServerRows.get(name);
      assert.ok(row, `${name}: no row`);
      assert.equal(row.unit, unit, `${name}: unit`);
      assert.match(row.defaultValue, new RegExp(`^\`${defaultValue}\``), `${name}: default`);
      assert.ok(row.type, `${name}: no type`);
    }
  });
});

describe('links to docs/ and within it', () => {
  it('point at files that exist', () => {
    const broken: string[] = [];
    for (const file of readmePaths()) {
      const text = readFileSync(file, 'utf8');
      for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
        const path = target.split('#')[0] ?? '';
        if (!existsSync(join(dirname(file), path))) {
          broken.push(`${relative(repositoryRoot, file)}: ${target}`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });
});
