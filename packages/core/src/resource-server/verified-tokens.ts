/**
 * The bounded cache of verified access tokens: a token seen before skips the signature check.
 *
 * @module
 */

import type { RemoteKeySet, ResolvedKey } from '../lib/jwks.js';
import { LruCache } from '../lib/lru-cache.js';
import type { AccessTokenAuth } from './access-token-auth.js';

interface Entry {
  readonly auth: AccessTokenAuth;
  /** Epoch ms: the token's `exp`, or sooner: when its key set is due to be fetched again. */
  readonly until: number;
  readonly keySet: RemoteKeySet;
  readonly generation: number;
}

/**
 * Verified tokens by the whole token. An entry is never served at or after the token's `exp`,
 * nor once the key set it was verified with has changed (a rotation), nor once that key set is
 * due to be fetched again (`freshUntil` of its key: so a removed key is noticed as soon as a
 * fresh verification would notice it).
 */
export class VerifiedTokens {
  readonly #entries: LruCache<string, Entry>;

  constructor(maxEntries: number) {
    this.#entries = new LruCache(maxEntries);
  }

  get(token: string, now: number): AccessTokenAuth | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (now < entry.until && entry.keySet.generation === entry.generation) return entry.auth;
    this.#entries.delete(token);
    return undefined;
  }

  /** Remembers a token verified with `key` of `keySet`, until its exp or the key's `freshUntil`. */
  set(
    token: string,
    auth: AccessTokenAuth,
    keySet: RemoteKeySet,
    key: Pick<ResolvedKey, 'generation' | 'freshUntil'>,
    now: number,
  ): void {
    const until = Math.min(auth.expiresAt * 1000, key.freshUntil);
    if (until <= now) return;
    this.#entries.set(token, { auth, until, keySet, generation: key.generation });
  }

  get size(): number {
    return this.#entries.size;
  }
}
