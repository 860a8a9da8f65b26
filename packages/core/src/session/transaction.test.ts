import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NOW, OTHER_SECRET, SECRET } from '@logto-kit/testing/session-fixtures';
import { z } from 'zod';
import { parseCookieHeader, resolveCookieOptions, setCookieName } from './cookie.js';
import { deriveSessionKeys } from './keys.js';
import {
  clearTransaction,
  readTransaction,
  type TransactionContext,
  transactionCookieName,
  writeTransaction,
} from './transaction.js';

const { sessionName, attributes } = resolveCookieOptions({ baseUrl: 'https://app.example.com' });
const context: TransactionContext = {
  sessionName,
  attributes,
  keys: await deriveSessionKeys(SECRET),
};
const transaction = (state: string) => ({
  state,
  nonce: `nonce-${state}`,
  codeVerifier: 'v'.repeat(43),
  redirectUri: 'https://app.example.com/callback',
});

/** Applies Set-Cookie values to a cookie jar, as a browser would. */
function apply(jar: Record<string, string>, setCookies: readonly string[]): Record<string, string> {
  const next = { ...jar };
  for (const header of setCookies) {
    const name = setCookieName(header);
    const value = header.slice(name.length + 1).split(';')[0] ?? '';
    if (header.includes('Max-Age=0;')) delete next[name];
    else next[name] = value;
  }
  return next;
}

async function begin(jar: Record<string, string>, state: string, now = NOW) {
  return apply(jar, await writeTransaction(context, jar, transaction(state), { now }));
}

describe('sign-in transactions', () => {
  it('are stored in their own short-lived cookie named after a hash of the state', async () => {
    const [header] = await writeTransaction(context, {}, transaction('abc'), { now: NOW });
    const name = await transactionCookieName(sessionName, 'abc');
    assert.match(name, /^__Host-logto\.tx\.[\w-]{16}$/);
    assert.ok(header?.startsWith(`${name}=`));
    assert.match(header ?? '', /Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    assert.ok(!header?.includes('abc;'));
  });

  it('read back by state, with a cookie deletion', async () => {
    const jar = await begin({}, 'abc');
    const { transaction: read, clear } = await readTransaction(context, jar, 'abc', {
      now: NOW + 10,
    });
    assert.deepEqual(read, transaction('abc'));
    assert.deepEqual(apply(jar, clear), {});
  });

  it('let two sign-ins in flight (two tabs) each complete', async () => {
    const jar = await begin(await begin({}, 'tab-1'), 'tab-2', NOW + 1);
    const second = await readTransaction<ReturnType<typeof transaction>>(context, jar, 'tab-2', {
      now: NOW + 5,
    });
    const afterSecond = apply(jar, second.clear);
    const first = await readTransaction<ReturnType<typeof transaction>>(
      context,
      afterSecond,
      'tab-1',
      { now: NOW + 6 },
    );
    assert.equal(second.transaction?.nonce, 'nonce-tab-2');
    assert.equal(first.transaction?.nonce, 'nonce-tab-1');
    assert.deepEqual(apply(afterSecond, first.clear), {});
  });

  it('keep at most five in flight, dropping the oldest', async () => {
    let jar: Record<string, string> = {};
    for (let index = 0; index < 7; index += 1) jar = await begin(jar, `s${index}`, NOW + index);
    assert.equal(Object.keys(jar).length, 5);
    for (const [index, kept] of [false, false, true, true, true, true, true].entries()) {
      const { transaction: read } = await readTransaction(context, jar, `s${index}`, {
        now: NOW + 10,
      });
      assert.equal(read !== undefined, kept, `s${index}`);
    }
  });

  it('delete expired and unreadable transaction cookies when a new one is written', async () => {
    const stale = await begin({}, 'old', NOW - 700);
    const garbage = { ...stale, [await transactionCookieName(sessionName, 'x')]: 'garbage' };
    const jar = await begin(garbage, 'new');
    assert.deepEqual(Object.keys(jar), [await transactionCookieName(sessionName, 'new')]);
  });

  it('replace the transaction of the same state', async () => {
    const jar = await begin(await begin({}, 'same'), 'same', NOW + 1);
    assert.equal(Object.keys(jar).length, 1);
  });

  it('read as nothing when expired, tampered, sealed with another secret, or bound to another state', async () => {
    const jar = await begin({}, 'abc');
    const name = await transactionCookieName(sessionName, 'abc');
    const read = (cookies: Record<string, string>, state = 'abc', now = NOW + 1) =>
      readTransaction(context, cookies, state, { now }).then((result) => result.transaction);
    assert.equal(await read(jar, 'abc', NOW + 600), undefined);
    assert.equal(await read({ [name]: `${jar[name]?.slice(0, -2)}AA` }), undefined);
    const other = { ...context, keys: await deriveSessionKeys(OTHER_SECRET) };
    assert.equal((await readTransaction(other, jar, 'abc', { now: NOW })).transaction, undefined);
    // the value of state "xyz" pasted under the name for state "abc"
    const xyz = await begin({}, 'xyz');
    const swapped = { [name]: Object.values(xyz)[0] ?? '' };
    assert.equal(await read(swapped), undefined);
  });

  it('always clear the cookie of the state they were asked about, even when unreadable', async () => {
    const name = await transactionCookieName(sessionName, 'abc');
    const { transaction: read, clear } = await readTransaction(context, { [name]: 'junk' }, 'abc');
    assert.equal(read, undefined);
    assert.deepEqual(apply({ [name]: 'junk' }, clear), {});
    assert.deepEqual(await readTransaction(context, {}, 'abc'), {
      transaction: undefined,
      clear: [],
    });
  });

  it('check the payload shape with a schema when given one', async () => {
    const jar = await begin({}, 'abc');
    const strict = z.object({ state: z.string(), nonce: z.string(), returnTo: z.string() });
    const loose = z.object({ state: z.string(), nonce: z.string() });
    assert.equal(
      (await readTransaction(context, jar, 'abc', { now: NOW, schema: strict })).transaction,
      undefined,
    );
    assert.deepEqual(
      (await readTransaction(context, jar, 'abc', { now: NOW, schema: loose })).transaction,
      {
        state: 'abc',
        nonce: 'nonce-abc',
      },
    );
  });

  it('are cleared explicitly after use', async () => {
    const jar = await begin({}, 'abc');
    assert.deepEqual(apply(jar, [await clearTransaction(context, 'abc')]), {});
  });

  it('refuse a transaction too large for one cookie', async () => {
    await assert.rejects(
      writeTransaction(context, {}, { state: 's', extra: 'x'.repeat(4000) } as never),
      RangeError,
    );
  });

  it('come from a Cookie header through parseCookieHeader', async () => {
    const jar = await begin({}, 'abc');
    const header = Object.entries(jar)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const { transaction: read } = await readTransaction(context, parseCookieHeader(header), 'abc', {
      now: NOW,
    });
    assert.equal(read?.state, 'abc');
  });
});
