import { createHash } from 'node:crypto';
import {
  epochSeconds,
  getSessionKeys,
  mergeSessions,
  normalizeSecrets,
  type Session,
  type SessionKeys,
  type SessionSecret,
  type SessionStore,
  type SessionStoreSetOptions,
  SessionStoreUnavailableError,
  sealStoredSession,
  sessionFingerprint,
  unsealStoredSession,
} from '@logto-kit/core/store';
import { RedisRunner } from './lib/runner.js';
import { DELETE_SESSION, INDEX_SESSION, WRITE_SESSION } from './lib/scripts.js';
import type { RedisClientLike } from './redis-client.js';

/**
 * Options of {@link RedisSessionStore}.
 *
 * @example
 * ```ts
 * const options: RedisSessionStoreOptions = { client, secret: process.env.SESSION_SECRET!, prefix: 'shop:' };
 * ```
 */
export interface RedisSessionStoreOptions {
  /** A connected node-redis client (see `createRedisClient` for the recommended settings). */
  readonly client: RedisClientLike;
  /** The session secret(s), the same as `session.secret`: values are encrypted with it. */
  readonly secret: SessionSecret;
  /** Prefix of every key; defaults to `logto:`. */
  readonly prefix?: string;
  /** Milliseconds before a Redis command counts as failed (→ 503); defaults to 2000. */
  readonly timeout?: number;
}

/** How often a write retries its compare-and-set against concurrent writers of one session. */
const MAX_ATTEMPTS = 16;

/**
 * A {@link SessionStore} on Redis, shared by every instance of an app. Each session is a hash
 * holding the sealed session (JWE with the session secret, bound to its id: Redis never sees a
 * token), a keyed fingerprint and its `sid` index key; it expires with the session
 * (`EXPIREAT`). Writes are compare-and-set in one Lua script: two requests of one session that
 * write at once are merged key by key, and a session deleted meanwhile (sign-out, back-channel
 * logout) is not brought back. A set per provider session (`sid`) finds the sessions a
 * back-channel logout ends; it expires with its longest-lived session.
 *
 * Every command and script touches one key, so the store runs unchanged on one Redis, on Redis
 * Cluster (a session and its `sid` index may sit on different slots) and behind Sentinel. Steps
 * that span two keys are ordered so that a crash between them leaves at worst an extra index
 * entry, never a stored session missing from its index: a session is indexed (once, until its
 * latest possible expiry) before it is first written, and taken out of an index only after it
 * was deleted or moved. Renewals and refreshes of an indexed session touch its own slot only,
 * so a cluster master that holds the index but not the session does not stop them; a sign-in
 * needs both (it fails with 503 while either is down).
 *
 * Redis down or too slow: every method rejects with `SessionStoreUnavailableError` (a 503 in
 * the web integrations), nothing is treated as signed out, and the next request after Redis
 * returns works (the client reconnects by itself).
 *
 * @example
 * ```ts
 * const client = await createRedisClient(process.env.REDIS_URL!);
 * const secret = process.env.SESSION_SECRET!;
 * app.use(logto({ ...options, session: { secret, store: new RedisSessionStore({ client, secret }) } }));
 * ```
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: RedisRunner;
  readonly #keyConfig: { readonly secret: SessionSecret };
  readonly #prefix: string;

  constructor(options: RedisSessionStoreOptions) {
    if (typeof options?.client?.sendCommand !== 'function') {
      throw new TypeError('RedisSessionStore needs a connected node-redis client.');
    }
    this.#keyConfig = Object.freeze({ secret: normalizeSecrets(options.secret) });
    this.#prefix = options.prefix ?? 'logto:';
    this.#redis = new RedisRunner(options.client, options.timeout ?? 2000);
  }

  #sessionKey(id: string): string {
    return `${this.#prefix}session:${id}`;
  }

  #sidKey(sid: string): string {
    return `${this.#prefix}sid:${createHash('sha256').update(sid).digest('base64url')}`;
  }

  #keys(): Promise<SessionKeys> {
    return getSessionKeys(this.#keyConfig);
  }

  async get(id: string): Promise<Session | undefined> {
    const value = await this.#redis.command(['HGET', this.#sessionKey(id), 'v']);
    return unsealStoredSession(
      id,
      typeof value === 'string' ? value : undefined,
      await this.#keys(),
    );
  }

  async set(id: string, session: Session, options: SessionStoreSetOptions): Promise<void> {
    const keys = await this.#keys();
    const key = this.#sessionKey(id);
    let sidKey = options.sid === undefined ? '' : this.#sidKey(options.sid);
    const expiresAt = Math.floor(options.expiresAt);
    if (expiresAt <= epochSeconds()) return;
    // An index entry is made once, to last as long as the session can (its absolute lifetime).
    const indexUntil = Math.max(expiresAt, Math.floor(options.maxExpiresAt ?? expiresAt));
    const base = options.previous;
    let indexed = 0;
    // A new session with a sid is indexed before it is written: a back-channel logout at any
    // moment finds it (an index entry whose session is never written is harmless, and expires).
    if (sidKey && !base) indexed = await this.#index(sidKey, id, indexUntil);
    let next = session;
    let expected = base ? await sessionFingerprint(base, keys) : '';
    let sealed: [string, string] | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      sealed ??= [
        await sealStoredSession(id, next, keys, expiresAt),
        await sessionFingerprint(next, keys),
      ];
      const reply = (await this.#redis.eval(
        WRITE_SESSION,
        [key],
        [base ? 'cas' : 'new', expected, ...sealed, String(expiresAt), sidKey, String(indexed)],
      )) as [number, string?, string?];
      if (reply[0] === 2) {
        const [, , stale = ''] = reply;
        if (stale) await this.#unindex(stale, id);
        return;
      }
      if (reply[0] === 3) {
        // Not known to be indexed long enough (a new sid, or one written by an older version):
        // index first, then write. Renewals and refreshes of an indexed session skip this.
        sidKey = reply[1] ?? '';
        indexed = await this.#index(sidKey, id, indexUntil);
        continue;
      }
      if (reply[0] !== 1 || !base) return; // deleted meanwhile: stays deleted
      // Another request wrote first: merge this request's changes into what is stored now.
      const theirs = await unsealStoredSession(id, reply[1], keys);
      next = theirs ? mergeSessions(base, session, theirs) : session;
      expected = reply[2] ?? '';
      sealed = undefined;
    }
    throw new SessionStoreUnavailableError('Too many concurrent writes to one session.');
  }

  async delete(id: string): Promise<void> {
    const sidKey = await this.#redis.eval(DELETE_SESSION, [this.#sessionKey(id)], []);
    if (typeof sidKey === 'string' && sidKey) await this.#unindex(sidKey, id);
  }

  /**
   * Ends every session of a provider session: one `DEL` per session (each on its own slot in a
   * cluster), then the deleted ids are taken out of the index. Not atomic across sessions, and
   * it need not be: each step is idempotent, a session written meanwhile is either deleted here
   * or refuses to come back (its compare-and-set finds it gone). When a slot is unreachable the
   * sessions on the others are still deleted, the rest stay indexed, and it rejects (503).
   */
  async deleteBySid(sid: string): Promise<number> {
    const sidKey = this.#sidKey(sid);
    const members = await this.#redis.command(['SMEMBERS', sidKey]);
    const ids = Array.isArray(members) ? members.map(String) : [];
    if (ids.length === 0) return 0;
    const results = await Promise.allSettled(
      ids.map((id) => this.#redis.command(['DEL', this.#sessionKey(id)])),
    );
    const done = ids.filter((_, index) => results[index]!.status === 'fulfilled');
    if (done.length > 0) await this.#redis.command(['SREM', sidKey, ...done]);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return results.reduce(
      (sum, result) => sum + (result.status === 'fulfilled' ? Number(result.value) : 0),
      0,
    );
  }

  /** Adds the session to its index until `until`; resolves to `until`. */
  async #index(sidKey: string, id: string, until: number): Promise<number> {
    await this.#redis.eval(INDEX_SESSION, [sidKey], [id, String(until)]);
    return until;
  }

  /**
   * Takes a session id out of an index it no longer belongs to. Best effort: the session itself
   * is already written or deleted, and a stale entry only means a back-channel logout of that
   * provider session also deletes this one (or deletes nothing); it expires with the index.
   */
  async #unindex(sidKey: string, id: string): Promise<void> {
    try {
      await this.#redis.command(['SREM', sidKey, id]);
    } catch (error) {
      if (!(error instanceof SessionStoreUnavailableError)) throw error;
    }
  }
}
