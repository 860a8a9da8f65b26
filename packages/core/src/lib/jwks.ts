import { importJWK, type JWK } from 'jose';
import { IdTokenSignatureError, ProviderResponseError } from '../errors.js';
import { SharedValue } from './shared-value.js';

/** ID token signing algorithms this client accepts. Never `none`, never HS*. */
export const ID_TOKEN_ALGORITHMS: readonly string[] = Object.freeze([
  'ES384',
  'ES256',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
]);

/** JWKS freshness: refetched after 10 minutes. */
export const JWKS_TTL = 10 * 60_000;
/**
 * The minimum gap between two JWKS fetches triggered by an unknown key. A caller that arrives
 * inside the gap waits for it to pass instead of failing, so a rotated key is picked up at once.
 */
export const JWKS_COOLDOWN = 1_000;

const curves: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

/** The header fields that select a key. */
export interface KeySelector {
  alg: string;
  kid?: string | undefined;
  /** Only keys that declare this `alg` themselves (an algorithm discovery does not list). */
  declaredAlg?: boolean | undefined;
}

/**
 * The provider's signing keys from `jwks_uri`, shared by every client of the endpoint. Loaded on
 * first use, refreshed on a TTL, and refetched (rate limited, single-flight) when a token names a
 * key that is not in the set.
 */
export class RemoteKeySet {
  readonly #keys = new SharedValue<readonly JWK[]>({
    ttl: JWKS_TTL,
    maxStale: 24 * 60 * 60_000,
    retryDelay: 5_000,
  });
  readonly #imported = new Map<string, Promise<CryptoKey | Uint8Array>>();
  readonly #cooldown: number;
  #refetching: Promise<readonly JWK[]> | undefined;
  #seen: readonly JWK[] | undefined;
  #seenJson = '';
  #generation = 0;

  constructor(options?: { cooldown?: number }) {
    this.#cooldown = options?.cooldown ?? JWKS_COOLDOWN;
  }

  /**
   * A number that changes whenever a fetched key set differs from the one before (a key was
   * added or removed): caches of verified tokens compare it to drop what they hold on a rotation.
   */
  get generation(): number {
    return this.#generation;
  }

  /** Counts a change of the key set (same content fetched again is no change). */
  #observe(keys: readonly JWK[]): readonly JWK[] {
    if (keys === this.#seen) return keys;
    const json = JSON.stringify(keys);
    if (this.#seen !== undefined && json !== this.#seenJson) this.#generation += 1;
    this.#seen = keys;
    this.#seenJson = json;
    return keys;
  }

  /** The key that verifies a token with this header, or an {@link IdTokenSignatureError}. */
  async getKey(
    selector: KeySelector,
    load: () => Promise<readonly JWK[]>,
  ): Promise<CryptoKey | Uint8Array> {
    let candidates = selectKeys(this.#observe(await this.#keys.get(load)), selector);
    if (candidates.length === 0) {
      candidates = selectKeys(this.#observe(await this.#refetch(load)), selector);
    }
    if (candidates.length === 0) {
      throw new IdTokenSignatureError(
        'unknown_key',
        'The ID token is signed by a key the provider does not publish.',
      );
    }
    if (candidates.length > 1) {
      throw new IdTokenSignatureError(
        'ambiguous_key',
        'The ID token does not say which of the provider keys signed it.',
      );
    }
    const jwk = candidates[0]!;
    const cacheKey = `${selector.alg}\n${JSON.stringify(jwk)}`;
    let imported = this.#imported.get(cacheKey);
    if (!imported) {
      imported = importJWK(jwk, selector.alg);
      imported.catch(() => this.#imported.delete(cacheKey));
      if (this.#imported.size > 64) this.#imported.clear();
      this.#imported.set(cacheKey, imported);
    }
    try {
      return await imported;
    } catch (error) {
      throw new IdTokenSignatureError('unknown_key', 'A provider key could not be imported.', {
        cause: error,
      });
    }
  }

  #refetch(load: () => Promise<readonly JWK[]>): Promise<readonly JWK[]> {
    this.#refetching ??= (async () => {
      try {
        const wait = (this.#keys.loadedAt() ?? 0) + this.#cooldown - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        return await this.#keys.reload(load);
      } finally {
        this.#refetching = undefined;
      }
    })();
    return this.#refetching;
  }
}

/**
 * The keys of a JWKS that could verify a token with `selector`: same `kid` (when the token has
 * one), a key type and curve matching the algorithm, usable for signatures. Keys this client
 * cannot parse are ignored.
 */
export function selectKeys(keys: readonly JWK[], selector: KeySelector): JWK[] {
  const { alg, kid, declaredAlg } = selector;
  const family = alg.slice(0, 2);
  return keys.filter((key) => {
    if (kid !== undefined && key.kid !== kid) return false;
    if (declaredAlg && key.alg !== alg) return false;
    if (key.use !== undefined && key.use !== 'sig') return false;
    if (key.key_ops !== undefined && !key.key_ops.includes('verify')) return false;
    if (key.alg !== undefined && key.alg !== alg) return false;
    if (family === 'ES') return key.kty === 'EC' && key.crv === curves[alg];
    if (family === 'RS' || family === 'PS') return key.kty === 'RSA';
    return false;
  });
}

/** The public members a verification key of each type this client uses must have. */
const requiredMembers: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'x', 'y'],
  RSA: ['n', 'e'],
};

const base64url = /^[A-Za-z0-9_-]+$/;

/**
 * Whether a JWKS entry is a key this client could verify with: a key type it knows, with every
 * required member present as base64url (RFC 7517 §5: ignore keys with a `kty` that is not
 * understood or that miss required members). Anything else — a post-quantum key, garbage — is
 * left out, so it can neither break verification nor make a `kid`-less token ambiguous.
 */
function isUsableKey(entry: unknown): entry is JWK {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return false;
  const key = entry as Record<string, unknown>;
  const required =
    typeof key.kty === 'string' && Object.hasOwn(requiredMembers, key.kty)
      ? requiredMembers[key.kty]
      : undefined;
  if (!required) return false;
  return required.every((member) => {
    const value = key[member];
    return typeof value === 'string' && (member === 'crv' || base64url.test(value));
  });
}

/** Validates a JWKS response body and keeps the entries that are usable keys. */
export function processJwks(body: unknown): readonly JWK[] {
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray((body as { keys?: unknown }).keys)
  ) {
    throw new ProviderResponseError('The JWKS response has no "keys" array.');
  }
  return Object.freeze((body as { keys: unknown[] }).keys.filter(isUsableKey));
}
