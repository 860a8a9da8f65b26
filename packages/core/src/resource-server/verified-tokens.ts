/**
 * The bounded cache of verified access tokens: a token seen before skips the signature check.
 *
 * @module
 */

import type { RemoteKeySet } from '../lib/jwks.js';
import { LruCache } from '../lib/lru-cache.js';
import type { AccessTokenAuth } from './access-token-auth.js';

/** How long at most a verified token is trusted without looking at the keys again. */
const RECHECK_AFTER = 10 * 60_000;

interface Entry {
  readonly auth: AccessTokenAuth;
  /** Epoch ms: the token's `exp`, or sooner so a removed key is noticed. */
  readonly until: number;
  readonly keySet: RemoteKeySet;
  readonly generation: number;
}

/**
 * Verified tokens by the whole token. An entry is never served at or after the token's `exp`,
 * nor once the key set it was verified with has changed (a rotation), nor after 10 minutes
 * (the JWKS refresh period, so a removed key is noticed).
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

  set(
    token: string,
    auth: AccessTokenAuth,
    keySet: RemoteKeySet,
    generation: number,
    now: number,
  ): void {
    const until = Math.min(auth.expiresAt * 1000, now + RECHECK_AFTER);
    if (until <= now) return;
    this.#entries.set(token, { auth, until, keySet, generation });
  }

  get size(): number {
    return this.#entries.size;
  }
}
