// Secrets, a fixed clock and realistic session data for `@logto-kit/core`'s session tests.
import { base64url } from 'jose';

/** A secret that satisfies the length rule. */
export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
/** A second, different secret (for rotation). */
export const OTHER_SECRET = 'other-secret-0123456789-ABCDEFGHIJKLMNO';
/** A fixed clock: 2023-11-14T22:13:20Z, in seconds. */
export const NOW = 1_700_000_000;

function randomBase64url(length: number): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(length))).slice(0, length);
}

/**
 * A string shaped and sized like a compact JWS: base64url header, payload and signature.
 * Random bytes, like real tokens, so nothing compresses.
 */
export function fakeJwt(totalLength: number): string {
  const header = base64url.encode(JSON.stringify({ alg: 'ES384', typ: 'at+jwt', kid: 'k1' }));
  const signature = randomBase64url(128); // ES384: 96 bytes
  const payloadLength = Math.max(1, totalLength - header.length - signature.length - 2);
  return `${header}.${randomBase64url(payloadLength)}.${signature}`;
}

/** Session data of a user in `organizations` organizations, each with a cached token. */
export function sessionData(organizations: number, now: number = NOW): Record<string, string> {
  const accessTokenMap: Record<string, { token: string; expiresAt: number; lastUsedAt: number }> =
    {};
  accessTokenMap[''] = { token: fakeJwt(650), expiresAt: now + 3600, lastUsedAt: now };
  for (let index = 0; index < organizations; index += 1) {
    const id = `org${String(index).padStart(9, '0')}`;
    accessTokenMap[`urn:logto:organization:${id}`] = {
      token: fakeJwt(650),
      expiresAt: now + 3600,
      lastUsedAt: now - index, // organization 0 is the most recently used
    };
  }
  return {
    idToken: fakeJwt(900),
    refreshToken: randomBase64url(43),
    accessTokenMap: JSON.stringify(accessTokenMap),
  };
}
