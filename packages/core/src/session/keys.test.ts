import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OTHER_SECRET, SECRET } from '@logto-kit/testing/session-fixtures';
import {
  deriveSessionKeys,
  findKey,
  getSessionKeys,
  MIN_SECRET_LENGTH,
  normalizeSecrets,
} from './keys.js';

describe('session keys', () => {
  it('accepts one secret or a non-empty array of secrets', () => {
    assert.deepEqual(normalizeSecrets(SECRET), [SECRET]);
    assert.deepEqual(normalizeSecrets([SECRET, OTHER_SECRET]), [SECRET, OTHER_SECRET]);
  });

  it('rejects a short secret with a TypeError that does not echo it', () => {
    const short = 'x'.repeat(MIN_SECRET_LENGTH - 1);
    assert.throws(
      () => normalizeSecrets(short),
      (error: unknown) =>
        error instanceof TypeError && !error.message.includes(short) && /32/.test(error.message),
    );
  });

  it('names which secret of an array is too short', () => {
    assert.throws(() => normalizeSecrets([SECRET, 'too-short-secret']), /#2/);
  });

  it('rejects an empty array and non-string secrets', () => {
    assert.throws(() => normalizeSecrets([]), TypeError);
    assert.throws(() => normalizeSecrets([42 as unknown as string]), TypeError);
    assert.throws(() => normalizeSecrets(undefined as unknown as string), TypeError);
  });

  it('derives a stable, secret-specific kid and non-extractable keys', async () => {
    const [a, b, again] = await Promise.all([
      deriveSessionKeys(SECRET),
      deriveSessionKeys(OTHER_SECRET),
      deriveSessionKeys(SECRET),
    ]);
    assert.equal(a.current.kid, again.current.kid);
    assert.notEqual(a.current.kid, b.current.kid);
    assert.match(a.current.kid, /^[\w-]{8}$/);
    assert.equal(a.current.encryptionKey.extractable, false);
    assert.deepEqual(a.current.encryptionKey.usages.sort(), ['decrypt', 'encrypt']);
    assert.deepEqual(a.current.signingKey.usages.sort(), ['sign', 'verify']);
  });

  it('puts the first secret first: it encrypts, every one decrypts', async () => {
    const keys = await deriveSessionKeys([SECRET, OTHER_SECRET]);
    const old = await deriveSessionKeys(OTHER_SECRET);
    assert.equal(keys.current, keys.all[0]);
    assert.equal(keys.all.length, 2);
    assert.equal(findKey(keys, old.current.kid)?.kid, old.current.kid);
    assert.equal(findKey(keys, 'unknown'), undefined);
    assert.equal(findKey(keys, 42), undefined);
  });

  it('derives once per configuration object', async () => {
    const config = { secret: SECRET };
    const first = getSessionKeys(config);
    assert.equal(getSessionKeys(config), first);
    assert.notEqual(getSessionKeys({ secret: SECRET }), first);
    await first;
  });

  it('throws synchronously for a bad secret in getSessionKeys', () => {
    assert.throws(() => getSessionKeys({ secret: 'short' }), TypeError);
  });
});
