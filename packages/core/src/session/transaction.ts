/**
 * Sign-in transactions in cookies: one sealed, short-lived cookie per `state`, read once. What
 * a sign-in transaction is, its lifetime and how many may be in flight: `sign-in-transaction.ts`.
 *
 * @module
 */
import { base64url, decodeProtectedHeader } from 'jose';
import type { z } from 'zod';
import { MAX_SIGN_IN_TRANSACTIONS, SIGN_IN_TRANSACTION_MAX_AGE } from '../sign-in-transaction.js';
import { MAX_SET_COOKIE_BYTES } from './chunks.js';
import { type CookieAttributes, serializeCookie, serializeDeletion } from './cookie.js';
import type { SessionKeys } from './keys.js';
import { byteLength } from './lib/bytes.js';
import { epochSeconds, sealSession, unsealSession } from './seal.js';

/**
 * The smallest shape of a sign-in transaction: what the callback needs is up to the caller.
 *
 * @example
 * ```ts
 * const transaction = { state, nonce, codeVerifier, redirectUri, returnTo: '/orders' };
 * ```
 */
export interface TransactionPayload {
  readonly state: string;
}

/**
 * Where transaction cookies live and how they are sealed.
 *
 * @example
 * ```ts
 * const context: TransactionContext = { sessionName: 'logto', attributes, keys };
 * ```
 */
export interface TransactionContext {
  /** The session cookie name; transactions are `<sessionName>.tx.<hash of state>`. */
  readonly sessionName: string;
  readonly attributes: CookieAttributes;
  readonly keys: SessionKeys;
}

/**
 * Options of {@link writeTransaction}.
 *
 * @example
 * ```ts
 * const options: WriteTransactionOptions = { now: epochSeconds(), maxInFlight: 3 };
 * ```
 */
export interface WriteTransactionOptions {
  readonly now?: number;
  /** Seconds; defaults to {@link SIGN_IN_TRANSACTION_MAX_AGE}. */
  readonly maxAge?: number;
  /** Defaults to {@link MAX_SIGN_IN_TRANSACTIONS}. */
  readonly maxInFlight?: number;
}

/**
 * Options of {@link readTransaction}.
 *
 * @example
 * ```ts
 * const options: ReadTransactionOptions<SignInTransaction> = { schema: signInTransactionSchema };
 * ```
 */
export interface ReadTransactionOptions<T> {
  readonly now?: number;
  /** Checks the unsealed payload's shape; without it only `state` is checked. */
  readonly schema?: z.ZodType<T>;
}

/**
 * The outcome of {@link readTransaction}.
 *
 * @example
 * ```ts
 * const { transaction, clear } = await readTransaction(context, cookies, state);
 * ```
 */
export interface ReadTransactionResult<T> {
  /** The transaction for `state`, or `undefined` when missing, expired, tampered or foreign. */
  readonly transaction: T | undefined;
  /** `Set-Cookie` values that delete this transaction's cookie; send them whatever happens. */
  readonly clear: string[];
}

const HASH_LENGTH = 16;
const encoder = new TextEncoder();

/**
 * The cookie name of the transaction for `state`: `<sessionName>.tx.<16 base64url chars of
 * SHA-256(state)>`, short and cookie-safe whatever `state` holds.
 *
 * @example
 * ```ts
 * await transactionCookieName('logto', state); // 'logto.tx.3q2-7wHk0b1fJ9pA'
 * ```
 */
export async function transactionCookieName(sessionName: string, state: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(state));
  return `${sessionName}.tx.${base64url.encode(new Uint8Array(digest)).slice(0, HASH_LENGTH)}`;
}

function transactionNames(
  cookies: Readonly<Record<string, string>>,
  sessionName: string,
): string[] {
  const prefix = `${sessionName}.tx.`;
  return Object.keys(cookies).filter(
    (name) => name.startsWith(prefix) && name.length === prefix.length + HASH_LENGTH,
  );
}

/** The `iat` and `exp` of a sealed value's header, read without decrypting (for ordering only). */
function headerTimes(value: string | undefined): { iat: number; exp: number } | undefined {
  try {
    const header = decodeProtectedHeader(value ?? '');
    if (typeof header.iat === 'number' && typeof header.exp === 'number') {
      return { iat: header.iat, exp: header.exp };
    }
  } catch {
    // not a JWE at all: reported as undefined, and the caller deletes it
  }
  return undefined;
}

/**
 * `Set-Cookie` values that store a sign-in transaction in its own sealed cookie, keyed by its
 * `state`. Transactions of other tabs stay; expired or unreadable ones are deleted, and when more
 * than `maxInFlight` would remain, the oldest are deleted.
 *
 * @param cookies - The request's parsed cookies.
 * @throws RangeError when the transaction does not fit in one cookie.
 *
 * @example
 * ```ts
 * const payload = { state, nonce, codeVerifier, redirectUri }; // a TransactionPayload
 * const setCookies = await writeTransaction(context, parseCookieHeader(header), payload);
 * ```
 */
export async function writeTransaction(
  context: TransactionContext,
  cookies: Readonly<Record<string, string>>,
  payload: TransactionPayload,
  options: WriteTransactionOptions = {},
): Promise<string[]> {
  const now = options.now ?? epochSeconds();
  const maxAge = options.maxAge ?? SIGN_IN_TRANSACTION_MAX_AGE;
  const maxInFlight = options.maxInFlight ?? MAX_SIGN_IN_TRANSACTIONS;
  const name = await transactionCookieName(context.sessionName, payload.state);
  const sealed = await sealSession(payload, context.keys, {
    expiresAt: now + maxAge,
    now,
    purpose: 'transaction',
  });
  const setCookie = serializeCookie(name, sealed, context.attributes, maxAge);
  if (byteLength(setCookie) > MAX_SET_COOKIE_BYTES) {
    throw new RangeError('The sign-in transaction is too large for a cookie');
  }

  const stale: string[] = [];
  const live: { name: string; iat: number }[] = [];
  for (const other of transactionNames(cookies, context.sessionName)) {
    if (other === name) continue; // replaced by this write
    const times = headerTimes(cookies[other]);
    if (!times || times.exp <= now) stale.push(other);
    else live.push({ name: other, iat: times.iat });
  }
  live.sort((a, b) => a.iat - b.iat || a.name.localeCompare(b.name));
  const excess = Math.max(0, live.length - (maxInFlight - 1));
  stale.push(...live.slice(0, excess).map((entry) => entry.name));

  return [setCookie, ...stale.map((other) => serializeDeletion(other, context.attributes))];
}

/**
 * Reads the sign-in transaction for the callback's `state`. The cookie is always cleared
 * (`clear`), found or not, so a transaction is used at most once.
 *
 * @example
 * ```ts
 * const { transaction, clear } = await readTransaction(context, cookies, url.searchParams.get('state') ?? '');
 * if (!transaction) throw new Error('No sign-in in progress for this state');
 * ```
 */
export async function readTransaction<T extends TransactionPayload = TransactionPayload>(
  context: TransactionContext,
  cookies: Readonly<Record<string, string>>,
  state: string,
  options: ReadTransactionOptions<T> = {},
): Promise<ReadTransactionResult<T>> {
  const name = await transactionCookieName(context.sessionName, state);
  const value = cookies[name];
  if (value === undefined) return { transaction: undefined, clear: [] };
  const clear = [serializeDeletion(name, context.attributes)];
  const payload = await unsealSession(value, context.keys, {
    now: options.now,
    purpose: 'transaction',
  });
  if (!isPayload(payload) || payload.state !== state) return { transaction: undefined, clear };
  if (!options.schema) return { transaction: payload as T, clear };
  const parsed = options.schema.safeParse(payload);
  return { transaction: parsed.success ? parsed.data : undefined, clear };
}

function isPayload(value: unknown): value is TransactionPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { state?: unknown }).state === 'string'
  );
}

/**
 * A `Set-Cookie` value that deletes the transaction for `state` (after a successful callback,
 * or when the user cancels).
 *
 * @example
 * ```ts
 * setCookies.push(await clearTransaction(context, state));
 * ```
 */
export async function clearTransaction(
  context: TransactionContext,
  state: string,
): Promise<string> {
  return serializeDeletion(
    await transactionCookieName(context.sessionName, state),
    context.attributes,
  );
}
