import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NOW, SECRET, sessionData } from '@logto-kit/testing/session-fixtures';
import fc from 'fast-check';
import { LogtoError, SessionTooLargeError } from '../errors.js';
import {
  cookieHeaderBytes,
  fitsCookieBudget,
  fitToBudget,
  MAX_COOKIE_HEADER_BYTES,
  maxCookieValueLength,
} from './budget.js';
import { MAX_SET_COOKIE_BYTES, splitCookie, writeChunkedCookie } from './chunks.js';
import { resolveCookieOptions } from './cookie.js';
import { deriveSessionKeys } from './keys.js';
import { byteLength } from './lib/bytes.js';
import { ACCESS_TOKEN_MAP_KEY, dropLeastRecentlyUsedTokens } from './lru-tokens.js';
import { sealSession } from './seal.js';

const keys = await deriveSessionKeys(SECRET);
const { sessionName: NAME, attributes } = resolveCookieOptions({
  baseUrl: 'https://app.example.com',
});
const MAX_AGE = 86_400;

function tokenKeys(data: Record<string, string>): string[] {
  const raw = data[ACCESS_TOKEN_MAP_KEY];
  return raw === undefined ? [] : Object.keys(JSON.parse(raw));
}

async function fitSession(data: Record<string, string>, allowance?: number) {
  const session = { data, createdAt: NOW, touchedAt: NOW };
  return fitToBudget(session, {
    seal: (value) => sealSession(value, keys, { expiresAt: NOW + MAX_AGE, now: NOW }),
    fits: (sealed) =>
      fitsCookieBudget(NAME, sealed, attributes, MAX_AGE, { otherCookiesAllowance: allowance }),
    shrink: (value) => dropLeastRecentlyUsedTokens(value.data, { now: NOW }),
  });
}

describe('cookieHeaderBytes / fitsCookieBudget', () => {
  it('measures the Cookie request header line', () => {
    assert.equal(
      cookieHeaderBytes([
        { name: 'a', value: '1' },
        { name: 'b', value: '22' },
      ]),
      17,
    );
  });

  it('accepts a small value and refuses one that leaves no room for other cookies', () => {
    assert.equal(fitsCookieBudget(NAME, 'a'.repeat(100), attributes, MAX_AGE), true);
    assert.equal(fitsCookieBudget(NAME, 'a'.repeat(6500), attributes, MAX_AGE), false);
    assert.equal(
      fitsCookieBudget(NAME, 'a'.repeat(6500), attributes, MAX_AGE, { otherCookiesAllowance: 0 }),
      true,
    );
  });

  it('keeps the Cookie header plus the allowance within 8190 bytes at the boundary', () => {
    let largest = 0;
    for (let length = 5000; length < 7000; length += 1) {
      if (fitsCookieBudget(NAME, 'a'.repeat(length), attributes, MAX_AGE)) largest = length;
    }
    const chunks = splitCookie(NAME, 'a'.repeat(largest), attributes, MAX_AGE);
    assert.ok(cookieHeaderBytes(chunks) + 2048 <= MAX_COOKIE_HEADER_BYTES);
    const over = splitCookie(NAME, 'a'.repeat(largest + 1), attributes, MAX_AGE);
    assert.ok(cookieHeaderBytes(over) + 2048 > MAX_COOKIE_HEADER_BYTES);
  });
});

describe('maxCookieValueLength', () => {
  it('is the longest value fitsCookieBudget accepts', () => {
    const max = maxCookieValueLength(NAME, attributes, MAX_AGE);
    assert.equal(fitsCookieBudget(NAME, 'a'.repeat(max), attributes, MAX_AGE), true);
    assert.equal(fitsCookieBudget(NAME, 'a'.repeat(max + 1), attributes, MAX_AGE), false);
    assert.ok(max > 6000 && max < 6142, String(max));
  });

  it('is 0 when nothing fits', () => {
    assert.equal(
      maxCookieValueLength(NAME, attributes, MAX_AGE, { otherCookiesAllowance: 8190 }),
      0,
    );
  });
});

describe('fitToBudget', () => {
  it('seals once when the data fits, without shrinking', async () => {
    let seals = 0;
    const result = await fitToBudget(
      { a: 1 },
      {
        seal: async (value) => {
          seals += 1;
          return JSON.stringify(value);
        },
        fits: () => true,
        shrink: () => assert.fail('must not shrink'),
      },
    );
    assert.deepEqual(result, { data: { a: 1 }, sealed: '{"a":1}', shrinks: 0 });
    assert.equal(seals, 1);
  });

  it('shrinks a copy until it fits and leaves the caller data alone', async () => {
    const input = { items: [1, 2, 3, 4] };
    const result = await fitToBudget(input, {
      seal: async (value) => JSON.stringify(value),
      fits: (sealed) => sealed.length <= 15,
      shrink: (value) => value.items.pop() !== undefined,
    });
    assert.deepEqual(result.data, { items: [1, 2] });
    assert.equal(result.shrinks, 2);
    assert.deepEqual(input, { items: [1, 2, 3, 4] });
  });

  it('throws SessionTooLargeError when nothing is left to drop', async () => {
    await assert.rejects(
      fitToBudget('x', { seal: async (value) => value, fits: () => false, shrink: () => false }),
      (error: unknown) =>
        error instanceof SessionTooLargeError &&
        error instanceof LogtoError &&
        error.code === 'session_too_large',
    );
  });

  it('throws session_too_large for an ID token too big for cookies', async () => {
    await assert.rejects(fitSession({ idToken: 'a'.repeat(9000) }), { code: 'session_too_large' });
  });
});

describe('the cookie budget with organization tokens', () => {
  it('keeps 50 organization tokens within budget by leaving out the least recently used', async () => {
    const data = sessionData(50);
    const { data: kept, sealed, shrinks } = await fitSession(data);
    const headers = writeChunkedCookie(NAME, sealed, attributes, MAX_AGE);
    for (const header of headers) assert.ok(byteLength(header) <= MAX_SET_COOKIE_BYTES);
    const chunks = splitCookie(NAME, sealed, attributes, MAX_AGE);
    assert.ok(cookieHeaderBytes(chunks) + 2048 <= MAX_COOKIE_HEADER_BYTES);
    assert.ok(shrinks > 40, `dropped ${shrinks}`);
    assert.equal(kept.data.idToken, data.idToken);
    assert.equal(kept.data.refreshToken, data.refreshToken);
    // the most recently used tokens are the ones kept
    const keptKeys = tokenKeys(kept.data);
    assert.ok(keptKeys.includes('urn:logto:organization:org000000000'));
    assert.ok(!keptKeys.includes('urn:logto:organization:org000000049'));
  });

  it('produces only cookies under 4096 bytes and a header under 8 KB for any organization count (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 4096 }),
        async (count, allowance) => {
          const { sealed } = await fitSession(sessionData(count), allowance);
          for (const header of writeChunkedCookie(NAME, sealed, attributes, MAX_AGE)) {
            assert.ok(byteLength(header) < 4096);
          }
          const chunks = splitCookie(NAME, sealed, attributes, MAX_AGE);
          assert.ok(cookieHeaderBytes(chunks) + allowance <= MAX_COOKIE_HEADER_BYTES);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reports the measured sizes for 1, 10 and 50 organizations', async (t) => {
    for (const count of [0, 1, 10, 50]) {
      const data = sessionData(count);
      const { sealed, shrinks } = await fitSession(data);
      const headers = writeChunkedCookie(NAME, sealed, attributes, MAX_AGE);
      const unbounded = await sealSession({ data, createdAt: NOW, touchedAt: NOW }, keys, {
        expiresAt: NOW + MAX_AGE,
      });
      t.diagnostic(
        `${count} org tokens: plaintext ${JSON.stringify(data).length} B, sealed unbounded ${unbounded.length} B; ` +
          `written: ${headers.length} cookie(s) of ${headers.map(byteLength).join('/')} B Set-Cookie, ` +
          `Cookie header ${cookieHeaderBytes(splitCookie(NAME, sealed, attributes, MAX_AGE))} B, ` +
          `${shrinks} token(s) left out`,
      );
    }
    assert.ok(true);
  });
});
