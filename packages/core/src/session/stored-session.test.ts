import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveSessionKeys } from './keys.js';
import { epochSeconds } from './seal.js';
import { createSession } from './session.js';
import { createSessionId } from './session-id.js';
import {
  mergeSessions,
  sealStoredSession,
  sessionFingerprint,
  unsealStoredSession,
} from './stored-session.js';

const secret = 'a-stored-session-test-secret-0123456789-abc';

describe('stored sessions', () => {
  it('seal to their id: another id, a cookie purpose or another secret reads nothing', async () => {
    const keys = await deriveSessionKeys(secret);
    const id = createSessionId();
    const session = createSession({ refreshToken: 'rt-1' });
    const sealed = await sealStoredSession(id, session, keys, epochSeconds() + 60);
    assert.deepEqual(await unsealStoredSession(id, sealed, keys), session);
    assert.equal(await unsealStoredSession(createSessionId(), sealed, keys), undefined);
    assert.equal(
      await unsealStoredSession(id, sealed, await deriveSessionKeys(`${secret}!`)),
      undefined,
    );
    assert.ok(!sealed.includes('rt-1'));
  });

  it('fingerprint the content whatever the key order, and differ on any change', async () => {
    const keys = await deriveSessionKeys(secret);
    const a = { data: { a: '1', b: '2' }, createdAt: 1, touchedAt: 2 };
    const b = { data: { b: '2', a: '1' }, createdAt: 1, touchedAt: 2 };
    assert.equal(await sessionFingerprint(a, keys), await sessionFingerprint(b, keys));
    assert.notEqual(
      await sessionFingerprint(a, keys),
      await sessionFingerprint({ ...a, touchedAt: 3 }, keys),
    );
  });

  it('merge: this request’s changes and deletions win, every other key keeps the store’s', () => {
    const base = { data: { rt: 'rt-1', map: '{}', gone: 'x' }, createdAt: 10, touchedAt: 10 };
    const mine = { data: { rt: 'rt-1', map: '{"a":1}' }, createdAt: 10, touchedAt: 20 };
    const theirs = {
      data: { rt: 'rt-2', map: '{}', gone: 'x', extra: 'y' },
      createdAt: 10,
      touchedAt: 15,
    };
    assert.deepEqual(mergeSessions(base, mine, theirs), {
      data: { rt: 'rt-2', map: '{"a":1}', extra: 'y' },
      createdAt: 10,
      touchedAt: 20,
    });
  });
});
