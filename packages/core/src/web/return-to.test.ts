/** `returnTo` is same-origin only: every open-redirect trick is refused, fuzzed too. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { safeReturnTo } from './return-to.js';

const base = 'http://localhost:3000';

/** Where a browser goes when it follows `Location: <location>` from a page on `base`. */
const browserTarget = (location: string): URL => new URL(location, base);

describe('safeReturnTo', () => {
  it('keeps a path with its query and fragment', () => {
    assert.equal(safeReturnTo('/orders?id=1#top', base), '/orders?id=1#top');
  });

  it('keeps an absolute URL on the app origin, as a path', () => {
    assert.equal(safeReturnTo(`${base}/orders`, base), '/orders');
  });

  it('reads nothing, an empty value and a very long value as "no returnTo"', () => {
    assert.equal(safeReturnTo(undefined, base), undefined);
    assert.equal(safeReturnTo(null, base), undefined);
    assert.equal(safeReturnTo('', base), undefined);
    assert.equal(safeReturnTo(`/${'a'.repeat(2048)}`, base), undefined);
  });

  const attacks = [
    'https://evil.example/',
    'http://evil.example',
    'https:evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    ' //evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '\t//evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://localhost:3000@evil.example/',
    'http://localhost:3001/',
    'https://localhost:3000/',
    // Dot segments that only resolve to `//host` after parsing.
    '/.//evil.example',
    '/a/..//evil.example',
    '/%2e//evil.example',
    '/%2E%2E//evil.example',
  ];
  for (const attack of attacks) {
    it(`refuses ${JSON.stringify(attack)}`, () => {
      assert.equal(safeReturnTo(attack, base), undefined);
    });
  }

  it('keeps encoded slashes as a harmless path on the app origin', () => {
    for (const value of ['/%2F%2Fevil.example', '%2F%2Fevil.example', '/%5Cevil.example']) {
      const target = safeReturnTo(value, base);
      assert.ok(target, value);
      assert.equal(browserTarget(target).origin, base, value);
    }
  });

  it('never returns anything a browser would follow off the app origin (fuzzed)', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc
        .array(
          fc.constantFrom(
            '/',
            '\\',
            '.',
            '..',
            '%2e',
            '%2f',
            '%5c',
            '\t',
            '\n',
            ' ',
            'evil.example',
            ':',
            '@',
            '?',
            '#',
            'http:',
            'javascript:',
          ),
          { maxLength: 8 },
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(hostile, (value) => {
        const target = safeReturnTo(value, base);
        if (target === undefined) return;
        assert.ok(target.startsWith('/'), target);
        assert.ok(!target.startsWith('//'), target);
        assert.ok(!/[\\\t\n\r]/.test(target), target);
        assert.equal(browserTarget(target).origin, base, target);
      }),
      { numRuns: 3_000 },
    );
  });
});
