import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseCookieHeader,
  resolveCookieOptions,
  serializeCookie,
  serializeDeletion,
  setCookieName,
} from './cookie.js';

describe('cookie options', () => {
  it('uses the plain prefix, HttpOnly, SameSite=Lax and Path=/ on http', () => {
    assert.deepEqual(resolveCookieOptions({ baseUrl: 'http://localhost:3000' }), {
      sessionName: 'logto',
      attributes: { path: '/', httpOnly: true, sameSite: 'lax', secure: false },
    });
  });

  it('adds Secure and the __Host- prefix on https', () => {
    const options = resolveCookieOptions({
      baseUrl: new URL('https://app.example.com/base'),
      prefix: 'shop',
    });
    assert.equal(options.sessionName, '__Host-shop');
    assert.equal(options.attributes.secure, true);
  });

  it('rejects prefixes that are not cookie-name safe and non-http base URLs', () => {
    for (const prefix of ['', 'a.b', 'a b', 'a=b', 'é', 'x'.repeat(65)]) {
      assert.throws(() => resolveCookieOptions({ baseUrl: 'http://localhost', prefix }), TypeError);
    }
    assert.throws(() => resolveCookieOptions({ baseUrl: 'localhost:3000' }), TypeError);
    assert.throws(() => resolveCookieOptions({ baseUrl: 'ftp://example.com' }), TypeError);
  });

  it('returns frozen options', () => {
    const options = resolveCookieOptions({ baseUrl: 'http://localhost' });
    assert.ok(Object.isFrozen(options) && Object.isFrozen(options.attributes));
  });
});

describe('parseCookieHeader', () => {
  it('parses a Cookie header; the first of repeated names wins', () => {
    assert.deepEqual(
      { ...parseCookieHeader('logto=abc; theme=dark; logto=later') },
      { logto: 'abc', theme: 'dark' },
    );
  });

  it('gives an empty object for a missing or empty header', () => {
    assert.deepEqual({ ...parseCookieHeader(undefined) }, {});
    assert.deepEqual({ ...parseCookieHeader(null) }, {});
    assert.deepEqual({ ...parseCookieHeader('') }, {});
  });

  it('does not let a __proto__ cookie touch the prototype', () => {
    const cookies = parseCookieHeader('__proto__=x; a=1');
    assert.equal(Object.getPrototypeOf(cookies), null);
    assert.equal(cookies.a, '1');
  });
});

describe('Set-Cookie serialisation', () => {
  const attributes = resolveCookieOptions({ baseUrl: 'https://app.example.com' }).attributes;

  it('writes Max-Age, Path, HttpOnly, Secure and SameSite', () => {
    assert.equal(
      serializeCookie('__Host-logto', 'v.1', attributes, 60.9),
      '__Host-logto=v.1; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax',
    );
  });

  it('deletes with Max-Age=0 and the same Path and Secure', () => {
    assert.equal(
      serializeDeletion('__Host-logto.1', attributes),
      '__Host-logto.1=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax',
    );
  });

  it('reads the name back from a Set-Cookie value', () => {
    assert.equal(setCookieName(serializeDeletion('logto.2', attributes)), 'logto.2');
  });
});
