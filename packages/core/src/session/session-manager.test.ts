import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NOW, OTHER_SECRET, SECRET, sessionData } from '@logto-kit/testing/session-fixtures';
import fc from 'fast-check';
import { base64url, decodeProtectedHeader } from 'jose';
import { MAX_COOKIE_HEADER_BYTES } from './budget.js';
import { setCookieName } from './cookie.js';
import { deriveSessionKeys } from './keys.js';
import { byteLength } from './lib/bytes.js';
import { SessionManager, type SessionManagerOptions } from './session-manager.js';
import { MemorySessionStore } from './store.js';

/** A browser's cookie jar for one origin. */
class Jar {
  cookies: Record<string, string> = {};

  apply(setCookies: readonly string[]): this {
    for (const header of setCookies) {
      const name = setCookieName(header);
      const value = header.slice(name.length + 1).split(';')[0] ?? '';
      if (/Max-Age=0(;|$)/.test(header)) delete this.cookies[name];
      else this.cookies[name] = value;
    }
    return this;
  }

  get header(): string {
    return Object.entries(this.cookies)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }
}

const HTTPS: SessionManagerOptions = { secret: SECRET, baseUrl: 'https://app.example.com' };

async function signIn(manager: SessionManager, jar: Jar, data: Record<string, string>, now = NOW) {
  const loaded = await manager.load(jar.header, { now });
  for (const [key, value] of Object.entries(data)) loaded.storage.set(key, value);
  loaded.storage.renew();
  const setCookies = await manager.commit(loaded, { now });
  jar.apply(setCookies);
  return setCookies;
}

describe('SessionManager with cookie sessions', () => {
  it('loads no session from no cookies and writes nothing', async () => {
    const manager = new SessionManager(HTTPS);
    const loaded = await manager.load(undefined, { now: NOW });
    assert.equal(loaded.session, undefined);
    assert.deepEqual(loaded.clear, []);
    assert.deepEqual(await manager.commit(loaded, { now: NOW }), []);
  });

  it('writes a new session as one encrypted __Host- cookie and reads it back', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    const setCookies = await signIn(manager, jar, { idToken: 'id', refreshToken: 'rt' });
    assert.equal(setCookies.length, 1);
    assert.match(
      setCookies[0] ?? '',
      /^__Host-logto=[\w.-]+; Max-Age=86400; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    assert.equal(decodeProtectedHeader(jar.cookies['__Host-logto'] ?? '').enc, 'A256GCM');
    const loaded = await manager.load(jar.header, { now: NOW + 1 });
    assert.deepEqual(loaded.session, {
      data: { idToken: 'id', refreshToken: 'rt' },
      createdAt: NOW,
      touchedAt: NOW,
    });
    assert.equal(loaded.storage.get('idToken'), 'id');
  });

  it('uses plain names without Secure on http', async () => {
    const manager = new SessionManager({
      ...HTTPS,
      baseUrl: 'http://localhost:3000',
      cookiePrefix: 'app',
    });
    const [header] = await signIn(manager, new Jar(), { idToken: 'id' });
    assert.match(header ?? '', /^app=/);
    assert.ok(!header?.includes('Secure'));
    assert.equal(manager.cookieName, 'app');
  });

  it('does not rewrite an unchanged session within the touch interval', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    await signIn(manager, jar, { idToken: 'id' });
    for (const now of [NOW + 1, NOW + 60, NOW + 299]) {
      const loaded = await manager.load(jar.header, { now });
      loaded.storage.set('idToken', 'id'); // same value: no change
      assert.deepEqual(await manager.commit(loaded, { now }), []);
    }
  });

  it('says synchronously whether a commit would write, agreeing with commit', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    const empty = await manager.load('', { now: NOW });
    assert.equal(manager.needsCommit(empty, { now: NOW }), false);
    await signIn(manager, jar, { idToken: 'id' });
    const cases: [string, (loaded: Awaited<ReturnType<SessionManager['load']>>) => void, number][] =
      [
        ['unchanged', () => {}, NOW + 10],
        ['changed', (loaded) => loaded.storage.set('idToken', 'other'), NOW + 10],
        ['due for its rolling renewal', () => {}, NOW + 300],
        ['signed out', (loaded) => loaded.storage.clear(), NOW + 10],
      ];
    for (const [name, change, now] of cases) {
      const loaded = await manager.load(jar.header, { now });
      change(loaded);
      const needed = manager.needsCommit(loaded, { now });
      const written = await manager.commit(loaded, { now });
      assert.equal(needed, written.length > 0, name);
    }
    const garbage = await manager.load('__Host-logto=garbage', { now: NOW });
    assert.equal(manager.needsCommit(garbage, { now: NOW }), true, 'a bad cookie is cleared');
  });

  it('renews an unchanged session once the touch interval has passed (rolling expiry)', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    await signIn(manager, jar, { idToken: 'id' });
    const loaded = await manager.load(jar.header, { now: NOW + 300 });
    const setCookies = await manager.commit(loaded, { now: NOW + 300 });
    assert.equal(setCookies.length, 1);
    jar.apply(setCookies);
    const renewed = await manager.load(jar.header, { now: NOW + 86_400 + 299 });
    assert.equal(renewed.session?.touchedAt, NOW + 300);
  });

  it('writes when the data changed, keeping the session start', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    await signIn(manager, jar, { idToken: 'id', refreshToken: 'rt' });
    const loaded = await manager.load(jar.header, { now: NOW + 10 });
    loaded.storage.set('refreshToken', 'rt2');
    jar.apply(await manager.commit(loaded, { now: NOW + 10 }));
    const reloaded = await manager.load(jar.header, { now: NOW + 11 });
    assert.equal(reloaded.session?.data.refreshToken, 'rt2');
    assert.equal(reloaded.session?.createdAt, NOW);
    assert.equal(reloaded.session?.touchedAt, NOW + 10);
  });

  it('ends an idle session after the rolling duration and clears its cookie', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    await signIn(manager, jar, { idToken: 'id' });
    const loaded = await manager.load(jar.header, { now: NOW + 86_400 });
    assert.equal(loaded.session, undefined);
    assert.deepEqual(jar.apply(await manager.commit(loaded, { now: NOW + 86_400 })).cookies, {});
  });

  it('ends an active session at the absolute limit', async () => {
    const manager = new SessionManager({
      ...HTTPS,
      rolling: 3600,
      absolute: 7200,
      touchInterval: 600,
    });
    const jar = new Jar();
    await signIn(manager, jar, { idToken: 'id' });
    for (let now = NOW + 600; now < NOW + 7200; now += 600) {
      const loaded = await manager.load(jar.header, { now });
      assert.ok(loaded.session, `alive at +${now - NOW}`);
      jar.apply(await manager.commit(loaded, { now }));
    }
    assert.equal((await manager.load(jar.header, { now: NOW + 7200 })).session, undefined);
  });

  it('reads a tampered, truncated or foreign cookie as signed out and clears it', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    await signIn(manager, jar, { idToken: 'id' });
    const value = jar.cookies['__Host-logto'] ?? '';
    const foreign = new Jar();
    await signIn(new SessionManager({ ...HTTPS, secret: OTHER_SECRET }), foreign, { idToken: 'x' });
    for (const bad of [
      `${value.slice(0, 40)}x${value.slice(41)}`,
      value.slice(0, -10),
      foreign.cookies['__Host-logto'],
    ]) {
      const loaded = await manager.load(`__Host-logto=${bad}; theme=dark`, { now: NOW });
      assert.equal(loaded.session, undefined);
      assert.equal(loaded.clear.length, 1);
      assert.match(loaded.clear[0] ?? '', /^__Host-logto=; Max-Age=0/);
      assert.deepEqual(await manager.commit(loaded, { now: NOW }), [...loaded.clear]);
    }
  });

  it('spreads a large session over chunks and deletes stale chunks when it shrinks', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    await signIn(manager, jar, {
      idToken: base64url.encode(crypto.getRandomValues(new Uint8Array(3000))),
    });
    assert.deepEqual(Object.keys(jar.cookies), ['__Host-logto.0', '__Host-logto.1']);
    const loaded = await manager.load(jar.header, { now: NOW + 1 });
    assert.equal(loaded.session?.data.idToken?.length, 4000);
    loaded.storage.set('idToken', 'small');
    jar.apply(await manager.commit(loaded, { now: NOW + 1 }));
    assert.deepEqual(Object.keys(jar.cookies), ['__Host-logto']);
    assert.equal((await manager.load(jar.header, { now: NOW + 2 })).session?.data.idToken, 'small');
  });

  it('keeps a user in 50 organizations signed in within the cookie budget', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    const data = sessionData(50);
    const setCookies = await signIn(manager, jar, data);
    for (const header of setCookies) assert.ok(byteLength(header) < 4096);
    assert.ok(byteLength(`Cookie: ${jar.header}`) + 2048 <= MAX_COOKIE_HEADER_BYTES);
    const loaded = await manager.load(jar.header, { now: NOW + 1 });
    assert.equal(loaded.session?.data.idToken, data.idToken);
    assert.equal(loaded.session?.data.refreshToken, data.refreshToken);
    const cached = Object.keys(JSON.parse(loaded.session?.data.accessTokenMap ?? '{}'));
    assert.ok(cached.length > 0 && cached.length < 51);
  });

  it('signs out by clearing the storage or by destroy()', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    await signIn(manager, jar, { idToken: 'id' });
    const loaded = await manager.load(jar.header, { now: NOW + 1 });
    loaded.storage.clear();
    const copy = new Jar();
    copy.cookies = { ...jar.cookies };
    assert.deepEqual(copy.apply(await manager.commit(loaded, { now: NOW + 1 })).cookies, {});
    const again = await manager.load(jar.header, { now: NOW + 1 });
    assert.deepEqual(jar.apply(await manager.destroy(again)).cookies, {});
  });

  it('reads cookies sealed with a rotated-out secret and rewrites them with the new one', async () => {
    const jar = new Jar();
    const old = new SessionManager({ ...HTTPS, secret: OTHER_SECRET });
    await signIn(old, jar, { idToken: 'id' });
    const rotated = new SessionManager({ ...HTTPS, secret: [SECRET, OTHER_SECRET] });
    const loaded = await rotated.load(jar.header, { now: NOW + 300 });
    assert.equal(loaded.session?.data.idToken, 'id');
    jar.apply(await rotated.commit(loaded, { now: NOW + 300 }));
    const { kid } = decodeProtectedHeader(jar.cookies['__Host-logto'] ?? '');
    assert.equal(kid, (await deriveSessionKeys(SECRET)).current.kid);
  });

  it('refuses a handle loaded by another manager', async () => {
    const loaded = await new SessionManager(HTTPS).load(undefined);
    await assert.rejects(new SessionManager(HTTPS).commit(loaded), TypeError);
  });

  it('never throws while loading any Cookie header (property)', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    await signIn(manager, jar, { idToken: 'id' });
    const names = ['__Host-logto', '__Host-logto.0', '__Host-logto.1', '__Host-logto.01', 'other'];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 500 }),
          fc
            .array(fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 200 })), {
              maxLength: 4,
            })
            .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('; ')),
          fc.nat({ max: jar.header.length - 1 }).map((cut) => jar.header.slice(0, cut)),
        ),
        async (header) => {
          const loaded = await manager.load(header, { now: NOW });
          if (loaded.session) assert.equal(header.startsWith(jar.header), true);
          await manager.commit(loaded, { now: NOW });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('SessionManager with a server-side store', () => {
  function setup() {
    const store = new MemorySessionStore({ now: () => NOW });
    return { store, manager: new SessionManager({ ...HTTPS, store }), jar: new Jar() };
  }

  it('keeps only a signed id in the cookie, whatever the session size', async () => {
    const { store, manager, jar } = setup();
    const data = sessionData(50);
    const setCookies = await signIn(manager, jar, data);
    assert.equal(setCookies.length, 1);
    assert.match(jar.cookies['__Host-logto'] ?? '', /^[\w-]{43}\.[\w-]{43}$/);
    assert.equal(store.size, 1);
    const loaded = await manager.load(jar.header, { now: NOW + 1 });
    assert.deepEqual(loaded.session?.data, data);
  });

  it('reads a tampered id as signed out and clears it', async () => {
    const { manager, jar } = setup();
    await signIn(manager, jar, { idToken: 'id' });
    const value = jar.cookies['__Host-logto'] ?? '';
    const tampered = `${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}`;
    const loaded = await manager.load(`__Host-logto=${tampered}`, { now: NOW });
    assert.equal(loaded.session, undefined);
    assert.equal(loaded.clear.length, 1);
  });

  it('rotates the id at sign-in and forgets the old one', async () => {
    const { store, manager, jar } = setup();
    await signIn(manager, jar, { idToken: 'id' });
    const before = jar.header;
    await signIn(manager, jar, { idToken: 'id2' }, NOW + 1);
    assert.notEqual(jar.header, before);
    assert.equal(store.size, 1);
    assert.equal((await manager.load(before, { now: NOW + 2 })).session, undefined);
  });

  it('keeps the id and skips the store for an unchanged session within the touch interval', async () => {
    const { manager, jar } = setup();
    await signIn(manager, jar, { idToken: 'id' });
    const loaded = await manager.load(jar.header, { now: NOW + 10 });
    assert.deepEqual(await manager.commit(loaded, { now: NOW + 10 }), []);
    loaded.storage.set('refreshToken', 'rt');
    const before = jar.header;
    jar.apply(await manager.commit(loaded, { now: NOW + 10 }));
    assert.equal(jar.header, before);
  });

  it('deletes the stored session on destroy()', async () => {
    const { store, manager, jar } = setup();
    await signIn(manager, jar, { idToken: 'id' });
    const loaded = await manager.load(jar.header, { now: NOW + 1 });
    jar.apply(await manager.destroy(loaded));
    assert.equal(store.size, 0);
    assert.deepEqual(jar.cookies, {});
  });

  it('revokes sessions by the sid of their ID token (back-channel logout)', async () => {
    const { manager, jar } = setup();
    const claims = base64url.encode(JSON.stringify({ sub: 'u', sid: 'provider-session' }));
    await signIn(manager, jar, { idToken: `eyJhbGciOiJFUzM4NCJ9.${claims}.sig` });
    assert.equal(await manager.revokeBySid('provider-session'), 1);
    assert.equal((await manager.load(jar.header, { now: NOW + 1 })).session, undefined);
  });

  it('clears a cookie session left from before the store was configured', async () => {
    const { manager } = setup();
    const jar = new Jar();
    await signIn(new SessionManager(HTTPS), jar, { idToken: 'id' });
    const loaded = await manager.load(jar.header, { now: NOW + 1 });
    assert.equal(loaded.session, undefined);
    assert.equal(loaded.clear.length, 1);
  });

  it('cannot revoke cookie sessions by sid', async () => {
    assert.equal(await new SessionManager(HTTPS).revokeBySid('x'), 0);
  });
});

describe('SessionManager configuration', () => {
  it('rejects a short secret, a bad base URL, bad durations and a bad store', () => {
    assert.throws(() => new SessionManager({ ...HTTPS, secret: 'short' }), TypeError);
    assert.throws(() => new SessionManager({ ...HTTPS, baseUrl: '/relative' }), TypeError);
    assert.throws(() => new SessionManager({ ...HTTPS, rolling: -1 }), TypeError);
    assert.throws(() => new SessionManager({ ...HTTPS, store: {} as never }), TypeError);
  });

  it('exposes the resolved durations', () => {
    assert.deepEqual(new SessionManager(HTTPS).durations, {
      rolling: 86_400,
      absolute: 604_800,
      touchInterval: 300,
    });
  });
});

describe('SessionManager transactions', () => {
  it('writes, reads once and clears sign-in transactions from Cookie headers', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    jar.apply(await manager.writeTransaction(jar.header, { state: 'a' }, { now: NOW }));
    jar.apply(await manager.writeTransaction(jar.header, { state: 'b' }, { now: NOW }));
    const read = await manager.readTransaction(jar.header, 'a', { now: NOW + 1 });
    assert.deepEqual(read.transaction, { state: 'a' });
    jar.apply(read.clear);
    assert.equal(
      (await manager.readTransaction(jar.header, 'a', { now: NOW + 1 })).transaction,
      undefined,
    );
    jar.apply([await manager.clearTransaction('b')]);
    assert.deepEqual(jar.cookies, {});
  });

  it('keeps transactions out of the session cookie family', async () => {
    const manager = new SessionManager(HTTPS);
    const jar = new Jar();
    await signIn(manager, jar, { idToken: 'id' });
    jar.apply(await manager.writeTransaction(jar.header, { state: 'a' }, { now: NOW }));
    const loaded = await manager.load(jar.header, { now: NOW + 1 });
    assert.equal(loaded.session?.data.idToken, 'id');
    assert.deepEqual(loaded.clear, []);
  });
});
