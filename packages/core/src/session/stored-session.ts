/**
 * How a session is kept in a shared, server-side store (Redis, …): sealed with the session
 * secret and bound to its id, fingerprinted for compare-and-set, and merged when two requests
 * of one session write at once. Store implementations use these so they never see a token in
 * clear and never lose a concurrent update.
 *
 * @module
 */
import { base64url } from 'jose';
import type { SessionKeys } from './keys.js';
import { epochSeconds, sealSession, unsealSession } from './seal.js';
import { type Session, sessionSchema } from './session.js';

const encoder = new TextEncoder();
/** Stored values have no cookie limit; anything larger than this is refused unread. */
const MAX_STORED_LENGTH = 4 * 1024 * 1024;

/**
 * Encrypts a session for a store (JWE `dir`/A256GCM with the session secret's key, purpose
 * `stored-session`), bound to its id: a value copied under another id, or into a cookie, reads
 * as nothing.
 *
 * @example
 * ```ts
 * const value = await sealStoredSession(id, session, keys, expiresAt);
 * await redis.set(`session:${id}`, value, { EXAT: expiresAt });
 * ```
 */
export function sealStoredSession(
  id: string,
  session: Session,
  keys: SessionKeys,
  expiresAt: number,
): Promise<string> {
  return sealSession({ id, session }, keys, { expiresAt, purpose: 'stored-session' });
}

/**
 * Decrypts a value made by {@link sealStoredSession} for this `id`. Anything else — another
 * id's value, tampered, expired, an unknown secret, garbage — gives `undefined`.
 *
 * @example
 * ```ts
 * const session = await unsealStoredSession(id, await redis.get(`session:${id}`), keys);
 * ```
 */
export async function unsealStoredSession(
  id: string,
  value: string | null | undefined,
  keys: SessionKeys,
  now: number = epochSeconds(),
): Promise<Session | undefined> {
  if (typeof value !== 'string') return undefined;
  const payload = (await unsealSession(value, keys, {
    now,
    purpose: 'stored-session',
    maxLength: MAX_STORED_LENGTH,
  })) as { id?: unknown; session?: unknown } | undefined;
  if (payload?.id !== id) return undefined;
  return sessionSchema.safeParse(payload.session).data;
}

/**
 * A keyed fingerprint (HMAC-SHA-256 with the current key) of a session's content, independent
 * of key order: what a store compares to know whether the session changed since a request
 * loaded it. It reveals nothing about the tokens without the secret.
 *
 * @example
 * ```ts
 * const expected = await sessionFingerprint(previous, keys);
 * ```
 */
export async function sessionFingerprint(session: Session, keys: SessionKeys): Promise<string> {
  const data = Object.entries(session.data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([session.createdAt, session.touchedAt, data]);
  const signature = await crypto.subtle.sign(
    'HMAC',
    keys.current.signingKey,
    encoder.encode(`logto-kit session fingerprint v1\n${canonical}`),
  );
  return base64url.encode(new Uint8Array(signature));
}

/**
 * Three-way merge of a session written by two requests at once: `base` is what this request
 * loaded, `mine` what it wants to write, `theirs` what the store holds now. Keys this request
 * changed (or deleted) take its value; every other key keeps the store's, so a request that only
 * renewed the session never brings back a refresh token another request already rotated.
 *
 * @example
 * ```ts
 * const merged = mergeSessions(loaded, next, current); // then compare-and-set again
 * ```
 */
export function mergeSessions(base: Session, mine: Session, theirs: Session): Session {
  const data: Record<string, string> = { ...theirs.data };
  const keys = new Set([...Object.keys(base.data), ...Object.keys(mine.data)]);
  for (const key of keys) {
    const before = Object.hasOwn(base.data, key) ? base.data[key] : undefined;
    const after = Object.hasOwn(mine.data, key) ? mine.data[key] : undefined;
    if (before === after) continue;
    if (after === undefined) delete data[key];
    else data[key] = after;
  }
  return {
    data,
    createdAt: theirs.createdAt,
    touchedAt: Math.max(mine.touchedAt, theirs.touchedAt),
  };
}
