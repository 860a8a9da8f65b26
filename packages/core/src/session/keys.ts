import { base64url } from 'jose';

/**
 * One session secret, or several for rotation: the first encrypts and signs, every one of them
 * decrypts and verifies. Each must be at least {@link MIN_SECRET_LENGTH} characters.
 *
 * @example
 * ```ts
 * const secret: SessionSecret = [process.env.SESSION_SECRET!, process.env.OLD_SESSION_SECRET!];
 * ```
 */
export type SessionSecret = string | readonly string[];

/**
 * The shortest accepted session secret, in characters.
 *
 * @example
 * ```ts
 * if (secret.length < MIN_SECRET_LENGTH) console.error('SESSION_SECRET is too short');
 * ```
 */
export const MIN_SECRET_LENGTH = 32;

/**
 * The keys derived from one secret.
 *
 * @example
 * ```ts
 * const { current } = await deriveSessionKeys(secret);
 * console.log(current.kid); // e.g. "Xk3v9QaZ", safe to log: it reveals nothing about the secret
 * ```
 */
export interface SessionKey {
  /** A short, non-secret identifier of the secret, written as the JWE `kid`. */
  readonly kid: string;
  /** AES-256-GCM key for the JWE `dir` / `A256GCM` session cookie. */
  readonly encryptionKey: CryptoKey;
  /** HMAC-SHA-256 key for signing server-side session ids. */
  readonly signingKey: CryptoKey;
}

/**
 * The keys of every configured secret, the newest first.
 *
 * @example
 * ```ts
 * const keys: SessionKeys = await deriveSessionKeys([newSecret, oldSecret]);
 * keys.current === keys.all[0]; // true
 * ```
 */
export interface SessionKeys {
  /** The key that encrypts and signs: derived from the first secret. */
  readonly current: SessionKey;
  /** Every key, in the configured order; any of them decrypts and verifies. */
  readonly all: readonly SessionKey[];
}

const encoder = new TextEncoder();
const ENCRYPTION_INFO = encoder.encode('logto-kit session encryption key v1');
const SIGNING_INFO = encoder.encode('logto-kit session id signing key v1');
const KEY_ID_INFO = encoder.encode('logto-kit session key id v1');
// The secret is the only input key material; the purpose is bound through `info`.
const NO_SALT = new Uint8Array(0);

/**
 * Checks the configured secret(s) and returns them as a non-empty list.
 *
 * @throws TypeError when there is no secret, or one is not a string of at least
 *   {@link MIN_SECRET_LENGTH} characters. The message names the position, never the value.
 *
 * @example
 * ```ts
 * normalizeSecrets('a'.repeat(32)); // ['aaaa…']
 * normalizeSecrets('short');         // throws TypeError
 * ```
 */
export function normalizeSecrets(secret: SessionSecret): readonly string[] {
  const secrets: readonly unknown[] = typeof secret === 'string' ? [secret] : secret;
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new TypeError('The session secret is required: a string or a non-empty array of strings');
  }
  secrets.forEach((value, index) => {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) {
      const which = secrets.length === 1 ? 'The session secret' : `Session secret #${index + 1}`;
      throw new TypeError(`${which} must be a string of at least ${MIN_SECRET_LENGTH} characters`);
    }
  });
  return Object.freeze([...(secrets as string[])]);
}

async function deriveKey(secret: string): Promise<SessionKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, [
    'deriveKey',
    'deriveBits',
  ]);
  const hkdf = (info: Uint8Array<ArrayBuffer>): HkdfParams => ({
    name: 'HKDF',
    hash: 'SHA-256',
    salt: NO_SALT,
    info,
  });
  const [encryptionKey, signingKey, kidBits] = await Promise.all([
    crypto.subtle.deriveKey(
      hkdf(ENCRYPTION_INFO),
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    ),
    crypto.subtle.deriveKey(
      hkdf(SIGNING_INFO),
      material,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign', 'verify'],
    ),
    crypto.subtle.deriveBits(hkdf(KEY_ID_INFO), material, 48),
  ]);
  return Object.freeze({
    kid: base64url.encode(new Uint8Array(kidBits)),
    encryptionKey,
    signingKey,
  });
}

/**
 * Derives the encryption and signing keys of every secret with HKDF-SHA-256 (WebCrypto).
 * Prefer {@link getSessionKeys}, which derives once per configuration object.
 *
 * @throws TypeError when a secret is missing or too short (see {@link normalizeSecrets}).
 *
 * @example
 * ```ts
 * const keys = await deriveSessionKeys([process.env.SESSION_SECRET!]);
 * ```
 */
export async function deriveSessionKeys(secret: SessionSecret): Promise<SessionKeys> {
  const secrets = normalizeSecrets(secret);
  const all = Object.freeze(await Promise.all(secrets.map(deriveKey)));
  return Object.freeze({ current: all[0]!, all });
}

const cache = new WeakMap<object, Promise<SessionKeys>>();

/**
 * Returns the keys for a configuration object, deriving them on first use and reusing them for
 * the lifetime of that object. The secrets are checked synchronously, so a bad secret throws
 * here rather than inside the returned promise.
 *
 * @throws TypeError when a secret is missing or too short.
 *
 * @example
 * ```ts
 * const config = Object.freeze({ secret: process.env.SESSION_SECRET! });
 * const keys = await getSessionKeys(config); // derived once; later calls reuse it
 * ```
 */
export function getSessionKeys(config: { readonly secret: SessionSecret }): Promise<SessionKeys> {
  const cached = cache.get(config);
  if (cached) return cached;
  normalizeSecrets(config.secret);
  const keys = deriveSessionKeys(config.secret);
  cache.set(config, keys);
  keys.catch(() => cache.delete(config)); // a failed derivation is retried next time
  return keys;
}

/**
 * Finds the key a JWE `kid` names.
 *
 * @example
 * ```ts
 * const key = findKey(keys, protectedHeader.kid); // undefined for a retired or unknown secret
 * ```
 */
export function findKey(keys: SessionKeys, kid: unknown): SessionKey | undefined {
  return typeof kid === 'string' ? keys.all.find((key) => key.kid === kid) : undefined;
}
