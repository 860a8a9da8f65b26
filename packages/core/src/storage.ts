/**
 * Where a {@link LogtoClient} keeps a user's tokens and sign-in transactions.
 *
 * @module
 */

/**
 * The keys a client reads and writes, the same as Logto's other SDKs:
 * - `idToken`: the last verified ID token (a JWT);
 * - `refreshToken`: the current refresh token;
 * - `accessTokenMap`: JSON, cached access tokens by resource / organization;
 * - `signInSession`: JSON, the sign-in transactions in flight keyed by `state` (a few,
 *   short-lived; see {@link SignInTransaction}). The key keeps the seed SDK's name.
 *
 * @example
 * ```ts
 * const key: StorageKey = 'refreshToken';
 * ```
 */
export type StorageKey = 'idToken' | 'refreshToken' | 'accessTokenMap' | 'signInSession';

/**
 * Every storage key, in a stable order.
 *
 * @example
 * ```ts
 * for (const key of STORAGE_KEYS) await storage.delete(key);
 * ```
 */
export const STORAGE_KEYS: readonly StorageKey[] = Object.freeze([
  'idToken',
  'refreshToken',
  'accessTokenMap',
  'signInSession',
]);

/**
 * A place for one user's session: a request-bound cookie session, a server-side store, or
 * {@link MemoryStorage}. Methods may be synchronous or return promises. `get` returns
 * `undefined` (or `null`) for a missing key.
 *
 * @example
 * ```ts
 * const sessionStorage: Storage = {
 *   get: (key) => req.session[key],
 *   set: (key, value) => { req.session[key] = value; },
 *   delete: (key) => { delete req.session[key]; },
 * };
 * ```
 */
export interface Storage {
  get(key: StorageKey): string | null | undefined | Promise<string | null | undefined>;
  set(key: StorageKey, value: string): void | Promise<void>;
  delete(key: StorageKey): void | Promise<void>;
}

/**
 * A storage that keeps values in memory, for one client's lifetime (scripts, tests, one-user
 * tools). Each instance is separate; nothing is shared between instances.
 *
 * @example
 * ```ts
 * const client = new LogtoClient(config, { storage: new MemoryStorage() });
 * ```
 */
export class MemoryStorage implements Storage {
  readonly #values = new Map<StorageKey, string>();

  /**
   * Optional initial values, e.g. a copy of another storage's content.
   *
   * @example
   * ```ts
   * new MemoryStorage({ refreshToken: 'rt' });
   * ```
   */
  constructor(initial?: Partial<Record<StorageKey, string>>) {
    for (const key of STORAGE_KEYS) {
      const value = initial?.[key];
      if (value !== undefined) this.#values.set(key, value);
    }
  }

  get(key: StorageKey): string | undefined {
    return this.#values.get(key);
  }

  set(key: StorageKey, value: string): void {
    this.#values.set(key, value);
  }

  delete(key: StorageKey): void {
    this.#values.delete(key);
  }

  /**
   * A plain copy of the stored values (handy in tests and for cloning a session).
   *
   * @example
   * ```ts
   * const original = new MemoryStorage({ idToken });
   * const copy = new MemoryStorage(original.snapshot());
   * ```
   */
  snapshot(): Partial<Record<StorageKey, string>> {
    return Object.fromEntries(this.#values);
  }
}
