import { decodeJwt } from 'jose';
import type { z } from 'zod';
import { LruCache } from '../lib/lru-cache.js';
import { type CookieBudget, fitToBudget, maxCookieValueLength } from './budget.js';
import { deleteCookies, joinCookie, presentCookieNames, writeChunkedCookie } from './chunks.js';
import { type CookieOptions, parseCookieHeader, resolveCookieOptions } from './cookie.js';
import { getSessionKeys, normalizeSecrets, type SessionKeys, type SessionSecret } from './keys.js';
import { dropLeastRecentlyUsedTokens } from './lru-tokens.js';
import { epochSeconds, sealSession, unsealSession } from './seal.js';
import {
  isSessionExpired,
  resolveSessionDurations,
  type Session,
  type SessionDurations,
  SessionStorage,
  sessionExpiresAt,
  sessionSchema,
  shouldWrite,
  touchSession,
} from './session.js';
import { createSessionId, signSessionId, verifySessionId } from './session-id.js';
import type { SessionStore } from './store.js';
import { tracedStore } from './traced-store.js';
import {
  clearTransaction,
  type ReadTransactionResult,
  readTransaction,
  type TransactionContext,
  type TransactionPayload,
  writeTransaction,
} from './transaction.js';

/**
 * Options of {@link SessionManager}. Durations are in seconds.
 *
 * @example
 * ```ts
 * const options: SessionManagerOptions = {
 *   secret: [process.env.SESSION_SECRET!, process.env.OLD_SESSION_SECRET!],
 *   baseUrl: 'https://shop.example.com',
 * };
 * ```
 */
export interface SessionManagerOptions {
  /** One secret of at least 32 characters, or several for rotation (the first is current). */
  readonly secret: SessionSecret;
  /** The app's public base URL: `https:` makes the cookies `Secure` and `__Host-`. */
  readonly baseUrl: string | URL;
  /** Cookie name prefix; defaults to `logto`. */
  readonly cookiePrefix?: string;
  /** Keep sessions server-side; the cookie then holds only a signed id. */
  readonly store?: SessionStore;
  /** Idle timeout; defaults to 1 day. */
  readonly rolling?: number;
  /** Longest session; defaults to 7 days. */
  readonly absolute?: number;
  /** An unchanged session is rewritten at most this often; defaults to 5 minutes. */
  readonly touchInterval?: number;
  /** Cookie size limits (cookie sessions only). */
  readonly budget?: CookieBudget;
}

/**
 * One request's session, from {@link SessionManager.load}. Hand `storage` to the `LogtoClient`
 * and pass the whole object to {@link SessionManager.commit} before responding.
 *
 * @example
 * ```ts
 * const loaded = await manager.load(request.headers.get('cookie'));
 * const client = new LogtoClient(config, { storage: loaded.storage });
 * ```
 */
export interface LoadedSession {
  /** The valid session the request carried, or `undefined` (signed out). */
  readonly session: Session | undefined;
  /**
   * `Set-Cookie` values that delete the session cookies the request carried when they were
   * tampered, expired or unreadable. {@link SessionManager.commit} includes them; send these
   * yourself only when you do not commit.
   */
  readonly clear: readonly string[];
  /** A synchronous `Storage` over the session; it records changes for `commit`. */
  readonly storage: SessionStorage;
}

/**
 * A per-call clock, in seconds since the epoch.
 *
 * @example
 * ```ts
 * await manager.load(header, { now: 1_700_000_000 });
 * ```
 */
export interface ClockOptions {
  readonly now?: number;
}

const kInternal = Symbol('logto-kit.loaded-session');

interface Internal {
  readonly manager: SessionManager;
  readonly present: readonly string[];
  readonly storeId: string | undefined;
}

function sidOf(session: Session): string | undefined {
  const idToken = session.data.idToken;
  if (idToken === undefined) return undefined;
  try {
    const { sid } = decodeJwt(idToken);
    return typeof sid === 'string' ? sid : undefined;
  } catch {
    return undefined; // not a JWT: the session simply cannot be found by sid
  }
}

/**
 * Framework-free session handling: cookies in, `Set-Cookie` values out. By default the session
 * lives in an encrypted, chunked cookie within the header budget; with a `store` the cookie
 * holds a signed id. A tampered, expired or undecryptable cookie reads as signed out and is
 * cleared; it never throws. Adapters (Express, Hono) only move headers.
 *
 * @example
 * ```ts
 * const manager = new SessionManager({ secret: process.env.SESSION_SECRET!, baseUrl });
 *
 * const loaded = await manager.load(request.headers.get('cookie'));
 * loaded.storage.set('idToken', idToken);
 * for (const value of await manager.commit(loaded)) response.headers.append('set-cookie', value);
 * ```
 */
export class SessionManager {
  readonly #keyConfig: { readonly secret: SessionSecret };
  readonly #cookies: CookieOptions;
  readonly #durations: SessionDurations;
  readonly #store: SessionStore | undefined;
  readonly #budget: CookieBudget;
  /**
   * Cookies this process already decrypted (sealed value → session) and session ids whose
   * signature it already checked. The key is the whole authenticated value, so a hit is a value
   * that passed the same checks before; expiry is still checked on every load. It saves the
   * WebCrypto work that dominated a protected request.
   */
  readonly #unsealed = new LruCache<string, Session>(2000);
  readonly #verifiedIds = new LruCache<string, string>(10_000);

  /**
   * @throws TypeError for a missing or short secret, a bad base URL or prefix, bad durations,
   *   or a store without `get`, `set` and `delete`.
   */
  constructor(options: SessionManagerOptions) {
    this.#keyConfig = Object.freeze({ secret: normalizeSecrets(options.secret) });
    this.#cookies = resolveCookieOptions({
      baseUrl: options.baseUrl,
      prefix: options.cookiePrefix,
    });
    this.#durations = resolveSessionDurations({
      rolling: options.rolling,
      absolute: options.absolute,
      touchInterval: options.touchInterval,
    });
    const store = options.store;
    if (
      store !== undefined &&
      (typeof store?.get !== 'function' ||
        typeof store.set !== 'function' ||
        typeof store.delete !== 'function')
    ) {
      throw new TypeError('The session store must have get, set and delete methods');
    }
    this.#store = store && tracedStore(store);
    this.#budget = Object.freeze({ ...options.budget });
  }

  /** The session cookie's name (`logto`, or `__Host-logto` on https). */
  get cookieName(): string {
    return this.#cookies.sessionName;
  }

  /** The resolved session durations, in seconds. */
  get durations(): SessionDurations {
    return this.#durations;
  }

  #keys(): Promise<SessionKeys> {
    return getSessionKeys(this.#keyConfig);
  }

  /**
   * Reads the session from a `Cookie` request header. Bad cookies never throw: they read as no
   * session and are listed in `clear`. Only a failing `store` rejects (a store outage is not a
   * sign-out; map it to 503).
   *
   * @example
   * ```ts
   * const { session } = await manager.load(req.headers.cookie);
   * const signedIn = session?.data.idToken !== undefined;
   * ```
   */
  async load(
    cookieHeader: string | null | undefined,
    options: ClockOptions = {},
  ): Promise<LoadedSession> {
    const now = options.now ?? epochSeconds();
    const cookies = parseCookieHeader(cookieHeader);
    const name = this.#cookies.sessionName;
    const present = presentCookieNames(cookies, name);
    // A single cookie this process already decrypted needs no re-validation: it passed before.
    const single = present.length === 1 && present[0] === name ? cookies[name] : undefined;
    const value =
      single !== undefined && !this.#store && this.#unsealed.get(single)
        ? single
        : joinCookie(cookies, name);
    let session: Session | undefined;
    let storeId: string | undefined;
    if (value !== undefined) {
      if (this.#store) {
        storeId =
          this.#verifiedIds.get(value) ?? (await verifySessionId(value, await this.#keys()));
        if (storeId !== undefined) {
          this.#verifiedIds.set(value, storeId);
          session = parseSession(await this.#store.get(storeId));
        }
      } else {
        session = this.#unsealed.get(value);
        if (!session) {
          session = parseSession(await unsealSession(value, await this.#keys(), { now }));
          if (session) this.#unsealed.set(value, deepFreeze(session));
        }
      }
      if (session && isSessionExpired(session, this.#durations, now)) session = undefined;
    }
    const clear = session ? [] : deleteCookies(present, this.#cookies.attributes);
    const internal: Internal = { manager: this, present, storeId: session ? storeId : undefined };
    // The request's bookkeeping rides on the object under a private symbol: cheaper than a
    // WeakMap entry per request, and just as invisible to callers.
    return Object.freeze({
      session,
      clear: Object.freeze(clear),
      storage: new SessionStorage(session),
      [kInternal]: internal,
    });
  }

  /**
   * Whether {@link SessionManager.commit} would write anything: synchronous, so a response
   * whose session did not change can be sent without waiting for a promise.
   *
   * @example
   * ```ts
   * if (manager.needsCommit(loaded)) res.append('Set-Cookie', await manager.commit(loaded));
   * ```
   */
  needsCommit(loaded: LoadedSession, options: ClockOptions = {}): boolean {
    const now = options.now ?? epochSeconds();
    const next = loaded.storage.toSession(now);
    if (!next) return loaded.session !== undefined || loaded.clear.length > 0;
    return shouldWrite(loaded.session, next, now, this.#durations);
  }

  /**
   * The `Set-Cookie` values this response needs: none for an unchanged session within the
   * touch interval; the re-sealed (or re-signed) session when it changed, started, was renewed
   * or is due for renewal; deletions when it ended. Cached access tokens that do not fit the
   * cookie budget are left out, least recently used first. Call it once per request, after the
   * handler; the values include the deletions of `loaded.clear`.
   *
   * @throws {@link SessionTooLargeError} when even without cached access tokens the session
   *   does not fit in cookies (use a store).
   *
   * @example
   * ```ts
   * res.append('Set-Cookie', await manager.commit(loaded));
   * ```
   */
  async commit(loaded: LoadedSession, options: ClockOptions = {}): Promise<string[]> {
    const internal = this.#internal(loaded);
    const now = options.now ?? epochSeconds();
    const previous = loaded.session;
    const next = loaded.storage.toSession(now);
    if (!next) return previous ? this.#destroy(internal) : [...loaded.clear];
    if (!shouldWrite(previous, next, now, this.#durations)) return [];
    const session = touchSession(next, now);
    const expiresAt = sessionExpiresAt(session, this.#durations);
    if (expiresAt <= now) return this.#destroy(internal);
    const maxAge = expiresAt - now;
    const { sessionName: name, attributes } = this.#cookies;
    const keys = await this.#keys();

    if (!this.#store) {
      const maxLength = maxCookieValueLength(name, attributes, maxAge, this.#budget);
      let excess = 0;
      const { sealed } = await fitToBudget(session, {
        seal: (payload) => sealSession(payload, keys, { expiresAt, now }),
        fits: (sealed) => {
          excess = sealed.length - maxLength;
          return excess <= 0;
        },
        // Sealing turns 3 plaintext bytes into 4 characters: free that much in one go.
        shrink: (payload) =>
          dropLeastRecentlyUsedTokens(payload.data as Record<string, string>, {
            now,
            bytes: Math.ceil((excess * 3) / 4),
          }),
      });
      return writeChunkedCookie(name, sealed, attributes, maxAge, internal.present);
    }

    const renewed = loaded.storage.renewed || previous === undefined;
    const id = !renewed && internal.storeId ? internal.storeId : createSessionId();
    // Same id: the store may compare-and-set against what this request loaded.
    const loadedAs = id === internal.storeId && previous ? { previous } : {};
    // A renewed id (sign-in) ends the old one first: a failure between the two steps leaves
    // the user signed out, never with two valid ids (the old one possibly planted).
    if (internal.storeId && internal.storeId !== id) await this.#store.delete(internal.storeId);
    const maxExpiresAt = session.createdAt + this.#durations.absolute;
    await this.#store.set(id, session, {
      expiresAt,
      maxExpiresAt,
      sid: sidOf(session),
      ...loadedAs,
    });
    const value = await signSessionId(id, keys);
    return writeChunkedCookie(name, value, attributes, maxAge, internal.present);
  }

  /**
   * Ends the session: deletes it from the store and returns `Set-Cookie` values that delete its
   * cookies.
   *
   * @example
   * ```ts
   * res.append('Set-Cookie', await manager.destroy(loaded));
   * ```
   */
  async destroy(loaded: LoadedSession): Promise<string[]> {
    return this.#destroy(this.#internal(loaded));
  }

  async #destroy(internal: Internal): Promise<string[]> {
    if (this.#store && internal.storeId) await this.#store.delete(internal.storeId);
    return deleteCookies(internal.present, this.#cookies.attributes);
  }

  /**
   * Ends every stored session of a provider session (`sid` from a back-channel logout token).
   * Cookie sessions cannot be revoked remotely: this returns 0 without a store.
   *
   * @example
   * ```ts
   * const count = await manager.revokeBySid(logoutToken.sid);
   * ```
   */
  async revokeBySid(sid: string): Promise<number> {
    return (await this.#store?.deleteBySid?.(sid)) ?? 0;
  }

  #internal(loaded: LoadedSession): Internal {
    const internal = (loaded as LoadedSession & { [kInternal]?: Internal })[kInternal];
    if (internal?.manager !== this) {
      throw new TypeError('This session was not loaded by this SessionManager');
    }
    return internal;
  }

  async #transactionContext(): Promise<TransactionContext> {
    const { sessionName, attributes } = this.#cookies;
    return { sessionName, attributes, keys: await this.#keys() };
  }

  /**
   * `Set-Cookie` values that store a sign-in transaction (one short-lived cookie per `state`,
   * at most 5 in flight).
   *
   * @example
   * ```ts
   * const payload = { state, nonce, codeVerifier }; // a TransactionPayload
   * res.append('Set-Cookie', await manager.writeTransaction(req.headers.cookie, payload));
   * ```
   */
  async writeTransaction(
    cookieHeader: string | null | undefined,
    payload: TransactionPayload,
    options: ClockOptions = {},
  ): Promise<string[]> {
    return writeTransaction(
      await this.#transactionContext(),
      parseCookieHeader(cookieHeader),
      payload,
      {
        now: options.now,
      },
    );
  }

  /**
   * Reads the sign-in transaction for a callback's `state`; its cookie is cleared either way.
   *
   * @example
   * ```ts
   * const { transaction, clear } = await manager.readTransaction(req.headers.cookie, state);
   * res.append('Set-Cookie', clear);
   * ```
   */
  async readTransaction<T extends TransactionPayload = TransactionPayload>(
    cookieHeader: string | null | undefined,
    state: string,
    options: ClockOptions & { readonly schema?: z.ZodType<T> } = {},
  ): Promise<ReadTransactionResult<T>> {
    return readTransaction(
      await this.#transactionContext(),
      parseCookieHeader(cookieHeader),
      state,
      {
        now: options.now,
        schema: options.schema,
      },
    );
  }

  /**
   * A `Set-Cookie` value that deletes the transaction for `state`.
   *
   * @example
   * ```ts
   * res.append('Set-Cookie', await manager.clearTransaction(state));
   * ```
   */
  async clearTransaction(state: string): Promise<string> {
    return clearTransaction(await this.#transactionContext(), state);
  }
}

function deepFreeze(session: Session): Session {
  Object.freeze(session.data);
  return Object.freeze(session);
}

function parseSession(value: unknown): Session | undefined {
  return sessionSchema.safeParse(value).data;
}
