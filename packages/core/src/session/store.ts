import { epochSeconds } from './seal.js';
import type { Session } from './session.js';

/**
 * Options of {@link SessionStore.set}.
 *
 * @example
 * ```ts
 * await store.set(id, session, { expiresAt: now + 86_400, sid: 'provider-session-id' });
 * ```
 */
export interface SessionStoreSetOptions {
  /** When the entry may be forgotten, in seconds since the epoch. */
  readonly expiresAt: number;
  /** The OIDC `sid` of the provider session (from the ID token), for back-channel logout. */
  readonly sid?: string;
  /**
   * The latest this session can ever expire (sign-in plus the absolute lifetime), in seconds
   * since the epoch: a store whose `sid` index lives elsewhere (another Redis Cluster slot) may
   * index the session once until then, so that renewals and refreshes need not touch the index.
   */
  readonly maxExpiresAt?: number;
  /**
   * The session as this request loaded it under the same id (absent for a new id). A shared
   * store uses it for compare-and-set: when another request wrote meanwhile, it merges (see
   * `mergeSessions`) instead of overwriting, and when the session was deleted meanwhile (sign-out,
   * back-channel logout, expiry) it does not bring it back.
   */
  readonly previous?: Session;
}

/**
 * Server-side session storage. With a store the cookie only holds a signed random id and the
 * session has no size limit. Methods may be sync or async. Implementations must return a copy
 * (a stored session is never shared with a request) and forget entries after `expiresAt`.
 *
 * @example
 * ```ts
 * const store: SessionStore = {
 *   get: async (id) => JSON.parse((await redis.get(`s:${id}`)) ?? 'null') ?? undefined,
 *   set: async (id, session, { expiresAt }) => {
 *     await redis.set(`s:${id}`, JSON.stringify(session), { EXAT: expiresAt });
 *   },
 *   delete: async (id) => {
 *     await redis.del(`s:${id}`);
 *   },
 * };
 * ```
 */
export interface SessionStore {
  get(id: string): Session | undefined | Promise<Session | undefined>;
  set(id: string, session: Session, options: SessionStoreSetOptions): void | Promise<void>;
  delete(id: string): void | Promise<void>;
  /**
   * Deletes every session of a provider session (`sid`), for back-channel logout.
   * @returns How many sessions were deleted.
   */
  deleteBySid?(sid: string): number | Promise<number>;
}

/**
 * Options of {@link MemorySessionStore}.
 *
 * @example
 * ```ts
 * const options: MemorySessionStoreOptions = { maxEntries: 1000 };
 * ```
 */
export interface MemorySessionStoreOptions {
  /** The most sessions kept; the oldest written is dropped beyond it. Defaults to 10 000. */
  readonly maxEntries?: number;
  /** The clock, in seconds since the epoch (for tests). */
  readonly now?: () => number;
}

interface Entry {
  readonly session: Session;
  readonly expiresAt: number;
  readonly sid: string | undefined;
}

/**
 * A {@link SessionStore} in this process's memory: bounded, expiry-aware and indexed by `sid`.
 * For one process only (development, tests, single-instance apps); sessions are lost on
 * restart. Use a shared store such as Redis when you run several instances.
 *
 * @example
 * ```ts
 * const manager = createSessionManager({ secret, baseUrl, store: new MemorySessionStore() });
 * ```
 */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, Entry>();
  readonly #bySid = new Map<string, Set<string>>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MemorySessionStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError('"maxEntries" must be a positive integer');
    }
    this.#maxEntries = maxEntries;
    this.#now = options.now ?? epochSeconds;
  }

  /** How many sessions are held, expired ones included until they are swept. */
  get size(): number {
    return this.#entries.size;
  }

  get(id: string): Session | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#remove(id);
      return undefined;
    }
    return structuredClone(entry.session);
  }

  set(id: string, session: Session, options: SessionStoreSetOptions): void {
    this.#remove(id); // re-inserting moves it to the end: the Map's order is write order
    if (options.expiresAt <= this.#now()) return;
    this.#entries.set(id, {
      session: structuredClone(session),
      expiresAt: options.expiresAt,
      sid: options.sid,
    });
    if (options.sid !== undefined) {
      const ids = this.#bySid.get(options.sid) ?? new Set<string>();
      ids.add(id);
      this.#bySid.set(options.sid, ids);
    }
    if (this.#entries.size > this.#maxEntries) this.#evict();
  }

  delete(id: string): void {
    this.#remove(id);
  }

  deleteBySid(sid: string): number {
    const ids = [...(this.#bySid.get(sid) ?? [])];
    for (const id of ids) this.#remove(id);
    return ids.length;
  }

  #remove(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    if (entry.sid === undefined) return;
    const ids = this.#bySid.get(entry.sid);
    ids?.delete(id);
    if (ids?.size === 0) this.#bySid.delete(entry.sid);
  }

  #evict(): void {
    const now = this.#now();
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#remove(id);
    }
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.#remove(id);
    }
  }
}
