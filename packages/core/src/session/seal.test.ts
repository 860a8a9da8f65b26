import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NOW, OTHER_SECRET, SECRET } from '@logto-kit/testing/session-fixtures';
import fc from 'fast-check';
import { decodeProtectedHeader } from 'jose';
import { deriveSessionKeys } from './keys.js';
import { sealSession, unsealSession } from './seal.js';

const keys = await deriveSessionKeys(SECRET);
const otherKeys = await deriveSessionKeys(OTHER_SECRET);
const payload = { data: { idToken: 'eyJ.a.b' }, createdAt: NOW, touchedAt: NOW };
const sealed = await sealSession(payload, keys, { expiresAt: NOW + 60, now: NOW });
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

describe('sealSession / unsealSession', () => {
  it('round-trips a payload', async () => {
    assert.deepEqual(await unsealSession(sealed, keys, { now: NOW }), payload);
  });

  it('writes a compact JWE with dir, A256GCM, kid, typ, iat and exp in the protected header', () => {
    assert.equal(sealed.split('.').length, 5);
    assert.deepEqual(decodeProtectedHeader(sealed), {
      alg: 'dir',
      enc: 'A256GCM',
      kid: keys.current.kid,
      typ: 'logto-kit-session',
      iat: NOW,
      exp: NOW + 60,
    });
  });

  it('reads an expired value as nothing', async () => {
    assert.equal(await unsealSession(sealed, keys, { now: NOW + 60 }), undefined);
    assert.notEqual(await unsealSession(sealed, keys, { now: NOW + 59 }), undefined);
  });

  it('reads a value sealed with an unknown secret as nothing', async () => {
    assert.equal(await unsealSession(sealed, otherKeys, { now: NOW }), undefined);
  });

  it('decrypts values sealed with a rotated-out secret and seals with the new one', async () => {
    const rotated = await deriveSessionKeys([OTHER_SECRET, SECRET]);
    assert.deepEqual(await unsealSession(sealed, rotated, { now: NOW }), payload);
    const resealed = await sealSession(payload, rotated, { expiresAt: NOW + 60, now: NOW });
    assert.equal(decodeProtectedHeader(resealed).kid, otherKeys.current.kid);
    assert.equal(await unsealSession(resealed, keys, { now: NOW }), undefined);
  });

  it('reads a value sealed for another purpose as nothing', async () => {
    const transaction = await sealSession({ state: 's' }, keys, {
      expiresAt: NOW + 60,
      now: NOW,
      purpose: 'transaction',
    });
    assert.equal(await unsealSession(transaction, keys, { now: NOW }), undefined);
    assert.deepEqual(await unsealSession(transaction, keys, { now: NOW, purpose: 'transaction' }), {
      state: 's',
    });
  });

  it('refuses oversize values without decrypting them', async () => {
    assert.equal(
      await unsealSession(sealed, keys, { now: NOW, maxLength: sealed.length - 1 }),
      undefined,
    );
    assert.equal(
      await unsealSession(`${sealed}${'A'.repeat(20_000)}`, keys, { now: NOW }),
      undefined,
    );
  });

  it('reads truncated values and undefined as nothing', async () => {
    assert.equal(await unsealSession(undefined, keys), undefined);
    assert.equal(await unsealSession('', keys), undefined);
    for (const length of [1, 10, sealed.length / 2, sealed.length - 1]) {
      assert.equal(await unsealSession(sealed.slice(0, length), keys, { now: NOW }), undefined);
    }
  });

  it('refuses a payload that is not JSON-serialisable', async () => {
    await assert.rejects(sealSession(undefined, keys, { expiresAt: NOW + 1 }), TypeError);
  });

  it('reads a value with the last character of any segment changed as nothing', async () => {
    const segments = sealed.split('.');
    for (const [position, segment] of segments.entries()) {
      if (segment === '') continue;
      for (const replacement of ALPHABET.slice(0, 64)) {
        if (segment.at(-1) === replacement) continue;
        const changed = [...segments];
        changed[position] = segment.slice(0, -1) + replacement;
        assert.equal(await unsealSession(changed.join('.'), keys, { now: NOW }), undefined);
      }
    }
  });

  it('never throws for an arbitrary string (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 300 }),
          fc
            .array(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 60 }), {
              minLength: 5,
              maxLength: 5,
            })
            .map((parts) => parts.join('.')),
        ),
        async (value) => {
          assert.equal(await unsealSession(value, keys, { now: NOW }), undefined);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads a value with any one character changed as nothing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: sealed.length - 1 }),
        fc.constantFrom(...ALPHABET),
        async (index, replacement) => {
          fc.pre(sealed[index] !== replacement);
          const tampered = sealed.slice(0, index) + replacement + sealed.slice(index + 1);
          assert.equal(await unsealSession(tampered, keys, { now: NOW }), undefined);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
