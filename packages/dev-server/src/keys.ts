import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The algorithms a Logto tenant signs with. */
export type SigningAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'RS256';

/** A private signing key in JWK form, with `kid`, `alg` and `use` set. */
export type SigningJwk = JWK & { kid: string; alg: SigningAlgorithm; use: 'sig' };

/** The JWS algorithm Logto derives from a key: P-256 → ES256, P-384 → ES384, P-521 → ES512, RSA → RS256. */
export function algorithmFor(jwk: JWK): SigningAlgorithm {
  if (jwk.kty === 'EC') {
    const byCurve: Record<string, SigningAlgorithm> = {
      'P-256': 'ES256',
      'P-384': 'ES384',
      'P-521': 'ES512',
    };
    const alg = jwk.crv ? byCurve[jwk.crv] : undefined;
    if (!alg) throw new TypeError(`Unsupported EC curve for a signing key: ${jwk.crv ?? '(none)'}`);
    return alg;
  }
  if (jwk.kty === 'RSA') return 'RS256';
  throw new TypeError(`Unsupported signing key type: ${jwk.kty ?? '(none)'}`);
}

/** Completes a private JWK with `kid` (its RFC 7638 thumbprint unless given), `alg` and `use`. */
export async function prepareSigningKey(jwk: JWK): Promise<SigningJwk> {
  const alg = algorithmFor(jwk);
  const kid = jwk.kid ?? (await calculateJwkThumbprint(jwk));
  return { ...jwk, kid, alg, use: 'sig' };
}

/**
 * Generates a fresh P-384 key, as `logto db seed` does for a new tenant.
 *
 * @example
 * const key = await generateSigningKey();
 * key.alg; // 'ES384'
 */
export async function generateSigningKey(): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair('ES384', { extractable: true });
  return prepareSigningKey(await exportJWK(privateKey));
}
