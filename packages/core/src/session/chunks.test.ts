import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  deleteCookies,
  joinCookie,
  MAX_CHUNKS,
  MAX_SET_COOKIE_BYTES,
  presentCookieNames,
  splitCookie,
  writeChunkedCookie,
} from './chunks.js';
import { parseCookieHeader, resolveCookieOptions, setCookieName } from './cookie.js';
import { byteLength } from './lib/bytes.js';

const { attributes } = resolveCookieOptions({ baseUrl: 'https://app.example.com' });
const NAME = '__Host-logto';
const MAX_AGE = 604_800;
const cookieValue = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'),
  minLength: 1,
  maxLength: 40_000,
});

/** What a browser would send back after storing the given Set-Cookie values. */
function browserCookies(setCookies: readonly string[]): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const header of setCookies) {
    const [pair = ''] = header.split(';');
    const name = setCookieName(pair);
    const value = pair.slice(name.length + 1);
    if (/Max-Age=0(;|$)/.test(header)) delete jar[name];
    else jar[name] = value;
  }
  return jar;
}

describe('splitCookie / joinCookie', () => {
  it('writes a single cookie when it fits', () => {
    assert.deepEqual(splitCookie(NAME, 'abc', attributes, MAX_AGE), [{ name: NAME, value: 'abc' }]);
  });

  it('splits a large value into numbered cookies, each Set-Cookie under 4096 bytes', () => {
    const value = 'a'.repeat(10_000);
    const chunks = splitCookie(NAME, value, attributes, MAX_AGE);
    assert.deepEqual(
      chunks.map((chunk) => chunk.name),
      [`${NAME}.0`, `${NAME}.1`, `${NAME}.2`],
    );
    for (const header of writeChunkedCookie(NAME, value, attributes, MAX_AGE)) {
      assert.ok(byteLength(header) <= MAX_SET_COOKIE_BYTES, `${byteLength(header)} bytes`);
    }
  });

  it('uses the whole 4095 bytes for full chunks', () => {
    const [first] = writeChunkedCookie(NAME, 'a'.repeat(10_000), attributes, MAX_AGE);
    assert.equal(byteLength(first!), MAX_SET_COOKIE_BYTES);
  });

  it('refuses a value that would need more than MAX_CHUNKS cookies', () => {
    assert.throws(
      () => splitCookie(NAME, 'a'.repeat(4000 * (MAX_CHUNKS + 1)), attributes, MAX_AGE),
      RangeError,
    );
  });

  it('round-trips any cookie-safe value through Set-Cookie and back (property)', () => {
    fc.assert(
      fc.property(cookieValue, (value) => {
        const headers = writeChunkedCookie(NAME, value, attributes, MAX_AGE);
        for (const header of headers) assert.ok(byteLength(header) <= MAX_SET_COOKIE_BYTES);
        assert.equal(joinCookie(browserCookies(headers), NAME), value);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a missing chunk as nothing', () => {
    const cookies = parseCookieHeader(`${NAME}.0=aaa; ${NAME}.2=ccc`);
    assert.equal(joinCookie(cookies, NAME), undefined);
  });

  it('reads a chunked value with a stray single cookie as nothing', () => {
    assert.equal(joinCookie({ [NAME]: 'x', [`${NAME}.0`]: 'a' }, NAME), undefined);
  });

  it('reads non-canonical chunk names and bad characters as nothing', () => {
    assert.equal(joinCookie({ [`${NAME}.0`]: 'a', [`${NAME}.01`]: 'b' }, NAME), undefined);
    assert.equal(joinCookie({ [`${NAME}.0`]: 'a b' }, NAME), undefined);
    assert.equal(joinCookie({ [NAME]: '' }, NAME), undefined);
    assert.equal(joinCookie({ [NAME]: 'a;b' }, NAME), undefined);
  });

  it('reads no cookies as nothing and ignores other families', () => {
    assert.equal(joinCookie({}, NAME), undefined);
    assert.equal(joinCookie({ [`${NAME}.tx.abc`]: 'x', other: 'y' }, NAME), undefined);
  });
});

describe('writeChunkedCookie', () => {
  it('deletes stale chunks when the value shrinks', () => {
    const present = presentCookieNames(
      { [`${NAME}.0`]: 'a', [`${NAME}.1`]: 'b', [`${NAME}.2`]: 'c', unrelated: 'x' },
      NAME,
    );
    const headers = writeChunkedCookie(NAME, 'small', attributes, MAX_AGE, present);
    assert.deepEqual(
      headers.map((header) => [setCookieName(header), /Max-Age=0;/.test(header)]),
      [
        [NAME, false],
        [`${NAME}.0`, true],
        [`${NAME}.1`, true],
        [`${NAME}.2`, true],
      ],
    );
  });

  it('deletes the single cookie when the value grows into chunks', () => {
    const headers = writeChunkedCookie(NAME, 'a'.repeat(5000), attributes, MAX_AGE, [NAME]);
    assert.deepEqual(browserCookies([`${NAME}=old`, ...headers])[NAME], undefined);
    assert.equal(joinCookie(browserCookies([`${NAME}=old`, ...headers]), NAME), 'a'.repeat(5000));
  });

  it('deletes every chunk at sign-out, once each', () => {
    const headers = deleteCookies([NAME, `${NAME}.0`, NAME], attributes);
    assert.equal(headers.length, 2);
    assert.ok(headers.every((header) => header.includes('Max-Age=0')));
  });
});

describe('presentCookieNames', () => {
  it('counts only the chunks this library could have written, so hundreds cost nothing', () => {
    const cookies: Record<string, string> = { logto: 'a' };
    for (let i = 0; i < 300; i++) cookies[`logto.${i}`] = 'x';
    cookies['logto.007'] = 'x';
    const names = presentCookieNames(cookies, 'logto');
    assert.equal(names.length, MAX_CHUNKS + 1);
    assert.ok(names.every((name) => name === 'logto' || Number(name.slice(6)) < MAX_CHUNKS));
  });
});
