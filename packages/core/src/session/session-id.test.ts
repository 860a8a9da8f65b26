import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OTHER_SECRET, SECRET } from '@logto-kit/testing/session-fixtures';
import fc from 'fast-check';
import { deriveSessionKeys } from './keys.js';
import { createSessionId, signSessionId, verifySessionId } from './session-id.js';

const keys = await deriveSessionKeys(SECRET);
const id = createSessionId();
const signed = await signSessionId(id, keys);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

describe('signed session ids', () => {
  it('creates distinct 256-bit ids', () => {
    assert.match(id, /^[\w-]{43}$/);
    assert.notEqual(createSessionId(), id);
  });

  it('signs as <id>.<signature> and verifies back to the id', async () => {
    assert.match(signed, /^[\w-]{43}\.[\w-]{43}$/);
    assert.equal(signed.split('.')[0], id);
    assert.equal(await verifySessionId(signed, keys), id);
  });

  it('verifies with a rotated-out secret and not with an unknown one', async () => {
    assert.equal(
      await verifySessionId(signed, await deriveSessionKeys([OTHER_SECRET, SECRET])),
      id,
    );
    assert.equal(await verifySessionId(signed, await deriveSessionKeys(OTHER_SECRET)), undefined);
  });

  it('refuses to sign something that is not a session id', async () => {
    await assert.rejects(signSessionId('../etc', keys), TypeError);
  });

  it('reads malformed values as no id', async () => {
    for (const value of [undefined, '', id, `${id}.`, `${signed}.x`, `${id}.${id}`]) {
      assert.equal(await verifySessionId(value, keys), undefined);
    }
  });

  it('reads a value with any one character changed as no id (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: signed.length - 1 }),
        fc.constantFrom(...ALPHABET),
        async (index, char) => {
          fc.pre(signed[index] !== char);
          const tampered = signed.slice(0, index) + char + signed.slice(index + 1);
          assert.equal(await verifySessionId(tampered, keys), undefined);
        },
      ),
      { numRuns: 500 },
    );
  });
});
