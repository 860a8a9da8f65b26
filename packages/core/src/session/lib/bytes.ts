const encoder = new TextEncoder();

/** The UTF-8 length of a string in bytes (header sizes are limited in bytes, not characters). */
export function byteLength(value: string): number {
  return encoder.encode(value).length;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Whether a base64url string (no padding) is the one encoding of its bytes: decoders ignore the
 * unused low bits of the last character, so without this check `…Q` and `…R` could carry the
 * same signature, and a changed character would go unnoticed.
 */
export function isCanonicalBase64url(value: string): boolean {
  const remainder = value.length % 4;
  if (remainder === 1) return false;
  if (remainder === 0) return true;
  const last = ALPHABET.indexOf(value.at(-1) ?? '');
  const unusedBits = remainder === 2 ? 0b1111 : 0b11;
  return last !== -1 && (last & unusedBits) === 0;
}
