import { base64url } from 'jose';
import type { SessionKeys } from './keys.js';
import { isCanonicalBase64url } from './lib/bytes.js';

const encoder = new TextEncoder();
const ID_PATTERN = /^[\w-]{43}$/;
const SIGNED_PATTERN = /^([\w-]{43})\.([\w-]{43})$/;

/**
 * A new random session id: 32 bytes from `crypto.getRandomValues`, base64url (43 characters).
 *
 * @example
 * ```ts
 * const id = createSessionId(); // 'q2v…', never reuse one across sign-ins
 * ```
 */
export function createSessionId(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * Signs a session id with the current key (HMAC-SHA-256): the cookie value `<id>.<signature>`.
 *
 * @throws TypeError when `id` is not one made by {@link createSessionId}.
 *
 * @example
 * ```ts
 * const value = await signSessionId(createSessionId(), keys); // '<id>.<sig>', 87 characters
 * ```
 */
export async function signSessionId(id: string, keys: SessionKeys): Promise<string> {
  if (!ID_PATTERN.test(id)) throw new TypeError('Not a session id');
  const signature = await crypto.subtle.sign('HMAC', keys.current.signingKey, encoder.encode(id));
  return `${id}.${base64url.encode(new Uint8Array(signature))}`;
}

/**
 * Checks a signed session id against every key (so rotated secrets keep sessions) with
 * WebCrypto's constant-time `verify`, and returns the id. Anything tampered or malformed gives
 * `undefined`.
 *
 * @example
 * ```ts
 * const id = await verifySessionId(cookies.logto, keys);
 * const session = id ? await store.get(id) : undefined;
 * ```
 */
export async function verifySessionId(
  value: string | undefined,
  keys: SessionKeys,
): Promise<string | undefined> {
  const match = typeof value === 'string' ? SIGNED_PATTERN.exec(value) : null;
  if (!match) return undefined;
  const [, id, encodedSignature] = match as unknown as [string, string, string];
  if (!isCanonicalBase64url(id) || !isCanonicalBase64url(encodedSignature)) return undefined;
  const signature = base64url.decode(encodedSignature);
  for (const key of keys.all) {
    const valid = await crypto.subtle.verify(
      'HMAC',
      key.signingKey,
      signature as Uint8Array<ArrayBuffer>,
      encoder.encode(id),
    );
    if (valid) return id;
  }
  return undefined;
}
