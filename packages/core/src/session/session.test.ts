import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NOW } from '@logto-kit/testing/session-fixtures';
import {
  createSession,
  DEFAULT_SESSION_DURATIONS,
  isSessionExpired,
  resolveSessionDurations,
  SessionStorage,
  sessionExpiresAt,
  sessionSchema,
  shouldWrite,
  touchSession,
} from './session.js';

const durations = DEFAULT_SESSION_DURATIONS;
const session = createSession({ idToken: 'id', refreshToken: 'rt' }, NOW);

describe('session durations', () => {
  it('defaults to 1 day rolling, 7 days absolute, renewal every 5 minutes', () => {
    assert.deepEqual(resolveSessionDurations(), {
      rolling: 86_400,
      absolute: 604_800,
      touchInterval: 300,
    });
  });

  it('keeps defaults for undefined fields and rejects bad values', () => {
    assert.equal(resolveSessionDurations({ rolling: 3600, absolute: undefined }).absolute, 604_800);
    assert.throws(() => resolveSessionDurations({ rolling: 0 }), TypeError);
    assert.throws(() => resolveSessionDurations({ absolute: 1.5 }), TypeError);
    assert.throws(() => resolveSessionDurations({ rolling: 300, touchInterval: 300 }), TypeError);
  });
});

describe('session expiry', () => {
  it('ends after the rolling duration without renewal', () => {
    assert.equal(sessionExpiresAt(session, durations), NOW + 86_400);
    assert.equal(isSessionExpired(session, durations, NOW + 86_399), false);
    assert.equal(isSessionExpired(session, durations, NOW + 86_400), true);
  });

  it('ends at the absolute limit however recently it was renewed', () => {
    const renewed = touchSession(session, NOW + 604_000);
    assert.equal(sessionExpiresAt(renewed, durations), NOW + 604_800);
    assert.equal(isSessionExpired(renewed, durations, NOW + 604_800), true);
  });

  it('treats sessions from the future or renewed before they started as expired', () => {
    assert.equal(isSessionExpired(createSession({}, NOW + 3600), durations, NOW), true);
    assert.equal(isSessionExpired({ ...session, touchedAt: NOW - 1 }, durations, NOW), true);
  });
});

describe('shouldWrite', () => {
  it('writes a new session and an ended one, not the absence of one', () => {
    assert.equal(shouldWrite(undefined, session, NOW), true);
    assert.equal(shouldWrite(session, undefined, NOW), true);
    assert.equal(shouldWrite(undefined, undefined, NOW), false);
  });

  it('does not rewrite an unchanged session within the touch interval', () => {
    assert.equal(shouldWrite(session, { ...session, data: { ...session.data } }, NOW + 299), false);
  });

  it('rewrites an unchanged session once the touch interval has passed', () => {
    assert.equal(shouldWrite(session, session, NOW + 300), true);
  });

  it('rewrites when the data changed or the session was restarted', () => {
    assert.equal(
      shouldWrite(session, { ...session, data: { idToken: 'id', refreshToken: 'rt2' } }, NOW),
      true,
    );
    assert.equal(shouldWrite(session, { ...session, data: { idToken: 'id' } }, NOW), true);
    assert.equal(shouldWrite(session, createSession(session.data, NOW + 1), NOW + 1), true);
  });
});

describe('sessionSchema', () => {
  it('accepts a session and refuses other shapes', () => {
    assert.equal(sessionSchema.safeParse(session).success, true);
    for (const bad of [
      null,
      {},
      { ...session, data: { a: 1 } },
      { ...session, createdAt: -1 },
      'x',
    ]) {
      assert.equal(sessionSchema.safeParse(bad).success, false);
    }
  });
});

describe('SessionStorage', () => {
  it('reads values and null for missing keys', () => {
    const storage = new SessionStorage(session);
    assert.equal(storage.get('idToken'), 'id');
    assert.equal(storage.get('accessTokenMap'), null);
    assert.equal(storage.get('toString'), null);
    assert.equal(storage.changed, false);
  });

  it('tracks changes and ignores writes of the same value', () => {
    const storage = new SessionStorage(session);
    storage.set('idToken', 'id');
    storage.delete('accessTokenMap');
    assert.equal(storage.changed, false);
    storage.set('accessTokenMap', '{}');
    assert.equal(storage.changed, true);
    assert.deepEqual(storage.toSession(NOW + 5)?.data, { ...session.data, accessTokenMap: '{}' });
    assert.equal(storage.toSession(NOW + 5)?.createdAt, NOW);
  });

  it('never changes the loaded session', () => {
    const storage = new SessionStorage(session);
    storage.set('idToken', 'other');
    assert.equal(session.data.idToken, 'id');
    assert.equal(storage.initial, session);
  });

  it('starts a new session when there was none, and gives none when emptied', () => {
    const storage = new SessionStorage();
    assert.equal(storage.toSession(NOW), undefined);
    storage.set('idToken', 'id');
    assert.deepEqual(storage.toSession(NOW), {
      data: { idToken: 'id' },
      createdAt: NOW,
      touchedAt: NOW,
    });
    storage.clear();
    assert.equal(storage.toSession(NOW), undefined);
  });

  it('restarts the session on renew()', () => {
    const storage = new SessionStorage(session);
    storage.renew();
    assert.equal(storage.renewed, true);
    assert.equal(storage.toSession(NOW + 10)?.createdAt, NOW + 10);
  });

  it('refuses non-string values', () => {
    const storage = new SessionStorage();
    assert.throws(() => storage.set('idToken', 42 as unknown as string), TypeError);
  });
});
