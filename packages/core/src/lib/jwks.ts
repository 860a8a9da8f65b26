import { importJWK, type JWK } from 'jose';
import { IdTokenSignatureError, ProviderResponseError } from '../errors.js';
import { type Freshness, type Loaded, SharedValue } from './shared-value.js';

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
/** How long the keys in hand keep serving the sign-in client while the JWKS cannot be fetched: 24 h. */
export const JWKS_MAX_STALE = 24 * 60 * 60_000;
/**
 * After a JWKS fetch that did not produce the key a token names, no other fetch for an unknown
 * key for this long (ms), whatever the `kid`: one refetch per 30 s at most, per process and
 * provider, shared by every client of the key set. A token signed by a key published within that
 * time is refused until the next refetch (at most 30 s later).
 */
export const JWKS_COOLDOWN = 30_000;

const curves: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

/** The header fields that select a key. */
export interface KeySelector {
  alg: string;
  kid?: string | undefined;
  /** Only keys that declare this `alg` themselves (an algorithm discovery does not list). */
  declaredAlg?: boolean | undefined;
}

/** A verification key, with the age of the key set it came from. */
export interface ResolvedKey {
  readonly key: CryptoKey | Uint8Array;
  /** The key set's {@link RemoteKeySet.generation} when the key was taken from it. */
  readonly generation: number;
  /**
   * Epoch ms until which a verification with this key may be reused: when the key set it came
   * from is due to be fetched again.
   */
  readonly freshUntil: number;
}

/**
 * How a caller bounds the age of the keys it trusts: fetched again after `min(JWKS_TTL,
 * maxAge / 2)`, and never used once `maxAge` old (ms), even when the provider cannot be reached
 * (the provider's error is thrown instead). Without `maxAge`: {@link JWKS_TTL} and
 * {@link JWKS_MAX_STALE}.
 */
export function keyFreshness(maxAge?: number): Freshness {
  if (maxAge === undefined) return { ttl: JWKS_TTL, maxStale: JWKS_MAX_STALE };
  return { ttl: Math.min(JWKS_TTL, maxAge / 2), maxStale: maxAge };
}

/**
 * The provider's signing keys from `jwks_uri`, shared by every client of the endpoint. Loaded on
 * first use, refreshed on a TTL, and refetched (single-flight) when a token names a key that is
 * not in the set — unless the keys were fetched during that very call, or a fetch that did not
 * produce a token's key began less than {@link JWKS_COOLDOWN} ago: then the token is refused at
 * once, so unknown key ids cannot make more than one JWKS request per cooldown.
 */
export class RemoteKeySet {
  readonly #keys = new SharedValue<readonly JWK[]>({
    ttl: JWKS_TTL,
    maxStale: JWKS_MAX_STALE,
    retryDelay: 5_000,
  });
  readonly #imported = new Map<string, Promise<CryptoKey | Uint8Array>>();
  readonly #cooldown: number;
  #refetching: Promise<Loaded<readonly JWK[]>> | undefined;
  /** Epoch ms before which a key the set lacks is refused without a fetch. */
  #quietUntil = 0;
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
    return (await this.resolve(selector, load)).key;
  }

  /**
   * The key that verifies a token with this header, with the age of its key set; keys older
   * than `maxAge` ms are not used (see {@link keyFreshness}). Throws an
   * {@link IdTokenSignatureError}, or the provider's error when fresh enough keys cannot be had.
   */
  async resolve(
    selector: KeySelector,
    load: () => Promise<readonly JWK[]>,
    maxAge?: number,
  ): Promise<ResolvedKey> {
    const freshness = keyFreshness(maxAge);
    const loadsBefore = this.#keys.loads;
    let loaded = await this.#keys.getLoaded(load, freshness);
    let candidates = selectKeys(this.#observe(loaded.value), selector);
    if (candidates.length === 0) {
      const refetched = await this.#refetch(load, loadsBefore);
      if (refetched) {
        loaded = refetched;
        candidates = selectKeys(this.#observe(loaded.value), selector);
      }
      if (candidates.length === 0 && (refetched || this.#keys.loads !== loadsBefore)) {
        // A fetch during this call did not produce the key: no other one for a while.
        this.#quiet(loaded.loadedAt);
      }
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
    const generation = this.#generation;
    const freshUntil = loaded.loadedAt + freshness.ttl;
    return { key: await this.#import(candidates[0]!, selector.alg), generation, freshUntil };
  }

  async #import(jwk: JWK, alg: string): Promise<CryptoKey | Uint8Array> {
    const cacheKey = `${alg}\n${JSON.stringify(jwk)}`;
    let imported = this.#imported.get(cacheKey);
    if (!imported) {
      imported = importJWK(jwk, alg);
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

  /**
   * Fetches the keys again for a token whose key is not in the set, or `undefined` when that is
   * not worth a request: the keys were fetched during this call (`loadsBefore` is the count of
   * loads when it began), or the cooldown is running. Joins a refetch already in flight. A
   * failed refetch throws the provider's error (and starts the cooldown).
   */
  async #refetch(
    load: () => Promise<readonly JWK[]>,
    loadsBefore: number,
  ): Promise<Loaded<readonly JWK[]> | undefined> {
    if (this.#refetching) return this.#refetching;
    if (this.#keys.loads !== loadsBefore || Date.now() < this.#quietUntil) return undefined;
    const refetching = this.#keys.reload(load, 0).catch((error: unknown) => {
      this.#quiet(Date.now());
      throw error;
    });
    this.#refetching = refetching;
    try {
      return await refetching;
    } finally {
      if (this.#refetching === refetching) this.#refetching = undefined;
    }
  }

  #quiet(fetchedAt: number): void {
    this.#quietUntil = Math.max(this.#quietUntil, fetchedAt + this.#cooldown);
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
