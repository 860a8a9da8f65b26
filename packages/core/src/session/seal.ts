import { CompactEncrypt, compactDecrypt } from 'jose';
import { findKey, type SessionKeys } from './keys.js';
import { isCanonicalBase64url } from './lib/bytes.js';

/**
 * What a sealed value is for. It is written to the JWE `typ` header, and a value sealed for one
 * purpose never unseals for another (a transaction cookie pasted into the session cookie reads
 * as nothing, nor does a value copied out of a session store).
 *
 * @example
 * ```ts
 * const purpose: SealPurpose = 'session';
 * ```
 */
export type SealPurpose = 'session' | 'transaction' | 'stored-session';

/**
 * The longest sealed value {@link unsealSession} looks at, in characters, unless told otherwise.
 * Larger than any cookie set we write (8 KB), smaller than Node's 16 KB header limit.
 *
 * @example
 * ```ts
 * await unsealSession(value, keys, { maxLength: DEFAULT_MAX_SEALED_LENGTH * 4 }); // a store value
 * ```
 */
export const DEFAULT_MAX_SEALED_LENGTH = 16_384;

/**
 * Options of {@link sealSession}.
 *
 * @example
 * ```ts
 * const options: SealOptions = { expiresAt: now + 3600, now };
 * ```
 */
export interface SealOptions {
  /** When the sealed value stops being valid, in seconds since the epoch. */
  readonly expiresAt: number;
  /** The current time in seconds since the epoch; defaults to the clock. */
  readonly now?: number;
  /** Defaults to `'session'`. */
  readonly purpose?: SealPurpose;
}

/**
 * Options of {@link unsealSession}.
 *
 * @example
 * ```ts
 * const options: UnsealOptions = { now: Math.floor(Date.now() / 1000) };
 * ```
 */
export interface UnsealOptions {
  /** The current time in seconds since the epoch; defaults to the clock. */
  readonly now?: number;
  /** Defaults to `'session'`. */
  readonly purpose?: SealPurpose;
  /** Longer values are refused without decrypting; defaults to {@link DEFAULT_MAX_SEALED_LENGTH}. */
  readonly maxLength?: number;
}

const TYPES: Record<SealPurpose, string> = {
  session: 'logto-kit-session',
  transaction: 'logto-kit-transaction',
  'stored-session': 'logto-kit-stored-session',
};
const JWE_SHAPE = /^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The current time in whole seconds since the epoch.
 *
 * @example
 * ```ts
 * const now = epochSeconds();
 * ```
 */
export function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Encrypts a JSON-serialisable payload into a compact JWE (`alg: dir`, `enc: A256GCM`) with the
 * current key. The protected header, which AES-GCM authenticates, carries the key's `kid`, the
 * purpose (`typ`), `iat` and `exp`.
 *
 * @example
 * ```ts
 * const keys = await getSessionKeys(config);
 * const now = epochSeconds();
 * const value = await sealSession({ hello: 'world' }, keys, { expiresAt: now + 3600, now });
 * ```
 */
export async function sealSession(
  payload: unknown,
  keys: SessionKeys,
  options: SealOptions,
): Promise<string> {
  const now = options.now ?? epochSeconds();
  const plaintext = JSON.stringify(payload);
  if (plaintext === undefined) throw new TypeError('The session payload must be JSON-serialisable');
  return new CompactEncrypt(encoder.encode(plaintext))
    .setProtectedHeader({
      alg: 'dir',
      enc: 'A256GCM',
      kid: keys.current.kid,
      typ: TYPES[options.purpose ?? 'session'],
      iat: now,
      exp: Math.floor(options.expiresAt),
    })
    .encrypt(keys.current.encryptionKey);
}

/**
 * Decrypts a value made by {@link sealSession}. Anything else — tampered, truncated, expired,
 * sealed with an unknown secret or for another purpose, oversize, or plain garbage — gives
 * `undefined`. It never throws on bad input: a bad cookie means "signed out", never a 500.
 *
 * @returns The payload as parsed JSON (validate its shape before use), or `undefined`.
 *
 * @example
 * ```ts
 * const payload = await unsealSession(cookies['logto'], keys);
 * if (payload === undefined) {
 *   // not signed in
 * }
 * ```
 */
export async function unsealSession(
  value: string | undefined,
  keys: SessionKeys,
  options: UnsealOptions = {},
): Promise<unknown> {
  const maxLength = options.maxLength ?? DEFAULT_MAX_SEALED_LENGTH;
  if (typeof value !== 'string' || value.length > maxLength || !JWE_SHAPE.test(value)) {
    return undefined;
  }
  if (!value.split('.').every(isCanonicalBase64url)) return undefined;
  let result: Awaited<ReturnType<typeof compactDecrypt>>;
  try {
    result = await compactDecrypt(
      value,
      (header) => {
        const key = findKey(keys, header.kid);
        if (!key) throw new Error('unknown kid');
        return key.encryptionKey;
      },
      { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] },
    );
  } catch {
    // Every failure here (bad base64, bad header, unknown kid, failed tag check) means the value
    // is not one we sealed with a current secret; by contract that reads as "no session".
    return undefined;
  }
  const { protectedHeader, plaintext } = result;
  const now = options.now ?? epochSeconds();
  if (protectedHeader.typ !== TYPES[options.purpose ?? 'session']) return undefined;
  if (typeof protectedHeader.exp !== 'number' || protectedHeader.exp <= now) return undefined;
  return parseJson(plaintext);
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    // Authenticated but not JSON: only possible with a sealer other than ours. Treat as absent.
    return undefined;
  }
}
