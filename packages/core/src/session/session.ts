import { z } from 'zod';
import { epochSeconds } from './seal.js';

/**
 * A signed-in session: the core `Storage` key/values (`idToken`, `refreshToken`,
 * `accessTokenMap`, … as strings) and when it started and was last renewed, in seconds since
 * the epoch.
 *
 * @example
 * ```ts
 * const session: Session = { data: { idToken: 'eyJ…' }, createdAt: 1_700_000_000, touchedAt: 1_700_000_000 };
 * ```
 */
export interface Session {
  readonly data: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly touchedAt: number;
}

/**
 * The zod schema of a {@link Session}, used to check what comes out of a cookie or a store.
 *
 * @example
 * ```ts
 * const session = sessionSchema.safeParse(await unsealSession(value, keys)).data;
 * ```
 */
export const sessionSchema: z.ZodType<Session> = z.object({
  data: z.record(z.string(), z.string()),
  createdAt: z.number().int().nonnegative(),
  touchedAt: z.number().int().nonnegative(),
});

/**
 * How long sessions last, in seconds.
 *
 * @example
 * ```ts
 * const durations: SessionDurations = { rolling: 3600, absolute: 86_400, touchInterval: 60 };
 * ```
 */
export interface SessionDurations {
  /** Idle timeout: the session ends this long after the last renewal. */
  readonly rolling: number;
  /** Hard limit: the session ends this long after sign-in, however active the user is. */
  readonly absolute: number;
  /** An unchanged session is renewed (and its cookie rewritten) at most this often. */
  readonly touchInterval: number;
}

/**
 * Default durations.
 * - `rolling` 1 day: a user who comes back the next working day is still signed in, one who
 *   leaves a laptop for a weekend is not; the same idle timeout express-openid-connect uses.
 * - `absolute` 7 days: caps what a stolen cookie is worth and stays inside Logto's default
 *   14-day refresh token lifetime, so a live session never carries a dead refresh token.
 * - `touchInterval` 5 minutes: an active user gets at most one extra `Set-Cookie` (or store
 *   write) per 5 minutes instead of one per response; the idle timeout is off by at most
 *   5 minutes in 24 hours (0.35 %).
 *
 * @example
 * ```ts
 * const durations = { ...DEFAULT_SESSION_DURATIONS, absolute: 30 * 86_400 };
 * ```
 */
export const DEFAULT_SESSION_DURATIONS: SessionDurations = Object.freeze({
  rolling: 86_400,
  absolute: 7 * 86_400,
  touchInterval: 300,
});

/**
 * Fills in and checks session durations.
 *
 * @throws TypeError when a duration is not a positive whole number of seconds, or the touch
 *   interval is not shorter than the rolling duration.
 *
 * @example
 * ```ts
 * const durations = resolveSessionDurations({ rolling: 3600 }); // absolute 7 d, touch 5 min
 * ```
 */
export function resolveSessionDurations(input: Partial<SessionDurations> = {}): SessionDurations {
  const durations = { ...DEFAULT_SESSION_DURATIONS, ...stripUndefined(input) };
  for (const [name, value] of Object.entries(durations)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new TypeError(`The session duration "${name}" must be a positive number of seconds`);
    }
  }
  if (durations.touchInterval >= durations.rolling) {
    throw new TypeError('The session "touchInterval" must be shorter than "rolling"');
  }
  return Object.freeze(durations);
}

function stripUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * Starts a session.
 *
 * @example
 * ```ts
 * const session = createSession({ idToken, refreshToken });
 * ```
 */
export function createSession(
  data: Readonly<Record<string, string>> = {},
  now: number = epochSeconds(),
): Session {
  return { data: { ...data }, createdAt: now, touchedAt: now };
}

/**
 * When a session ends: the earlier of its rolling and absolute expiry, in seconds.
 *
 * @example
 * ```ts
 * const maxAge = sessionExpiresAt(session, durations) - now;
 * ```
 */
export function sessionExpiresAt(session: Session, durations: SessionDurations): number {
  return Math.min(session.touchedAt + durations.rolling, session.createdAt + durations.absolute);
}

/**
 * Whether a session has ended (or claims to start in the future beyond clock skew).
 *
 * @example
 * ```ts
 * if (isSessionExpired(session, durations, now)) session = undefined;
 * ```
 */
export function isSessionExpired(
  session: Session,
  durations: SessionDurations,
  now: number,
): boolean {
  const skew = 60;
  return (
    sessionExpiresAt(session, durations) <= now ||
    session.createdAt > now + skew ||
    session.touchedAt < session.createdAt
  );
}

/**
 * Whether two sessions hold the same data.
 *
 * @example
 * ```ts
 * sameData({ a: '1' }, { a: '1' }); // true
 * ```
 */
export function sameData(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key])
  );
}

/**
 * Whether the response must write the session: it started, ended or changed, or it was last
 * renewed at least `touchInterval` ago. An unchanged session read again within the interval is
 * not rewritten, so ordinary responses carry no `Set-Cookie`.
 *
 * @example
 * ```ts
 * shouldWrite(loaded, next, now, durations); // false for a plain page view a minute later
 * ```
 */
export function shouldWrite(
  previous: Session | undefined,
  next: Session | undefined,
  now: number,
  durations: SessionDurations = DEFAULT_SESSION_DURATIONS,
): boolean {
  if (!previous || !next) return previous !== next;
  if (previous.createdAt !== next.createdAt) return true;
  if (!sameData(previous.data, next.data)) return true;
  return now - previous.touchedAt >= durations.touchInterval;
}

/**
 * The session to write: renewed (`touchedAt = now`). Call it only when {@link shouldWrite} said
 * so; its data is copied, never shared.
 *
 * @example
 * ```ts
 * if (shouldWrite(previous, next, now)) write(touchSession(next, now));
 * ```
 */
export function touchSession(session: Session, now: number): Session {
  return { data: { ...session.data }, createdAt: session.createdAt, touchedAt: now };
}

/**
 * A synchronous, in-memory `Storage` (`get`/`set`/`delete`) over one request's session, which
 * the `LogtoClient` reads and writes. It remembers whether anything changed.
 *
 * @example
 * ```ts
 * const storage = new SessionStorage(loaded.session);
 * const client = new LogtoClient(config, { storage });
 * await client.handleSignInCallback(url);
 * if (storage.changed) setCookies.push(...(await manager.commit(handle)));
 * ```
 */
export class SessionStorage {
  readonly #initial: Session | undefined;
  readonly #data: Record<string, string>;
  #changed = false;
  #renew = false;

  constructor(session?: Session) {
    this.#initial = session;
    this.#data = { ...session?.data };
  }

  /** The value of `key`, or `null` when absent. */
  get(key: string): string | null {
    return Object.hasOwn(this.#data, key) ? this.#data[key]! : null;
  }

  /** Stores `value` under `key`. */
  set(key: string, value: string): void {
    if (typeof value !== 'string') throw new TypeError('Session values must be strings');
    if (this.#data[key] === value && Object.hasOwn(this.#data, key)) return;
    this.#data[key] = value;
    this.#changed = true;
  }

  /** Removes `key`. */
  delete(key: string): void {
    if (!Object.hasOwn(this.#data, key)) return;
    delete this.#data[key];
    this.#changed = true;
  }

  /** Removes every key (sign-out). */
  clear(): void {
    for (const key of Object.keys(this.#data)) this.delete(key);
  }

  /**
   * Starts a new session at the next commit even if the data is the same: after sign-in, so the
   * session's start (absolute expiry) and, with a store, its id are fresh.
   */
  renew(): void {
    this.#renew = true;
    this.#changed = true;
  }

  /** Whether `set`, `delete`, `clear` or `renew` changed anything since construction. */
  get changed(): boolean {
    return this.#changed;
  }

  /** Whether {@link SessionStorage.renew} was called. */
  get renewed(): boolean {
    return this.#renew;
  }

  /** The session as it was loaded. */
  get initial(): Session | undefined {
    return this.#initial;
  }

  /**
   * The session as it is now: `undefined` when it holds no data, a new session when it had none
   * (or was renewed), else the loaded one with the current data.
   */
  toSession(now: number = epochSeconds()): Session | undefined {
    if (Object.keys(this.#data).length === 0) return undefined;
    if (!this.#initial || this.#renew) return createSession(this.#data, now);
    if (!this.#changed) return this.#initial;
    return { ...this.#initial, data: { ...this.#data } };
  }
}
