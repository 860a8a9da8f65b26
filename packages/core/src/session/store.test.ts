import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NOW } from '@logto-kit/testing/session-fixtures';
import { createSession } from './session.js';
import { MemorySessionStore } from './store.js';

function clock(start = NOW) {
  const state = { now: start };
  return { state, now: () => state.now };
}

const session = createSession({ idToken: 'id' }, NOW);

describe('MemorySessionStore', () => {
  it('stores, returns a copy, and deletes', () => {
    const { now } = clock();
    const store = new MemorySessionStore({ now });
    store.set('a', session, { expiresAt: NOW + 60 });
    const read = store.get('a');
    assert.deepEqual(read, session);
    assert.notEqual(read, session);
    store.delete('a');
    assert.equal(store.get('a'), undefined);
  });

  it('forgets a session at its expiry', () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now });
    store.set('a', session, { expiresAt: NOW + 60 });
    time.state.now = NOW + 60;
    assert.equal(store.get('a'), undefined);
    assert.equal(store.size, 0);
  });

  it('does not store an already expired session', () => {
    const store = new MemorySessionStore({ now: clock().now });
    store.set('a', session, { expiresAt: NOW });
    assert.equal(store.size, 0);
  });

  it('stays bounded: expired entries go first, then the oldest written', () => {
    const time = clock();
    const store = new MemorySessionStore({ maxEntries: 3, now: time.now });
    store.set('short', session, { expiresAt: NOW + 10 });
    store.set('a', session, { expiresAt: NOW + 600 });
    store.set('b', session, { expiresAt: NOW + 600 });
    time.state.now = NOW + 20;
    store.set('c', session, { expiresAt: NOW + 600 });
    assert.equal(store.size, 3);
    assert.equal(store.get('short'), undefined);
    store.set('a', session, { expiresAt: NOW + 600 }); // rewriting makes it the newest
    store.set('d', session, { expiresAt: NOW + 600 });
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((id) => store.get(id) !== undefined),
      [true, false, true, true],
    );
  });

  it('deletes every session of a provider session by sid', () => {
    const store = new MemorySessionStore({ now: clock().now });
    store.set('a', session, { expiresAt: NOW + 60, sid: 'sid-1' });
    store.set('b', session, { expiresAt: NOW + 60, sid: 'sid-1' });
    store.set('c', session, { expiresAt: NOW + 60, sid: 'sid-2' });
    assert.equal(store.deleteBySid('sid-1'), 2);
    assert.equal(store.get('a'), undefined);
    assert.equal(store.get('b'), undefined);
    assert.notEqual(store.get('c'), undefined);
    assert.equal(store.deleteBySid('sid-1'), 0);
  });

  it('moves a session to its new sid when rewritten', () => {
    const store = new MemorySessionStore({ now: clock().now });
    store.set('a', session, { expiresAt: NOW + 60, sid: 'old' });
    store.set('a', session, { expiresAt: NOW + 60, sid: 'new' });
    assert.equal(store.deleteBySid('old'), 0);
    assert.equal(store.deleteBySid('new'), 1);
  });

  it('rejects a bad bound', () => {
    assert.throws(() => new MemorySessionStore({ maxEntries: 0 }), TypeError);
  });
});
