import { SessionTooLargeError } from '../errors.js';
import { MAX_SET_COOKIE_BYTES, splitCookie } from './chunks.js';
import type { CookieAttributes } from './cookie.js';
import { byteLength } from './lib/bytes.js';

/**
 * The largest `Cookie` request header line we allow, `Cookie: ` included: Apache's
 * `LimitRequestFieldSize` (8190) and within nginx's default 8 KB header buffer.
 *
 * @example
 * ```ts
 * const budget: CookieBudget = { maxCookieHeaderBytes: MAX_COOKIE_HEADER_BYTES };
 * ```
 */
export const MAX_COOKIE_HEADER_BYTES = 8190;

/**
 * Bytes of the `Cookie` header left for cookies that are not our session: the app's own
 * cookies and a few sign-in transaction cookies (about 600 bytes each) when a signed-in user
 * signs in again.
 *
 * @example
 * ```ts
 * const budget: CookieBudget = { otherCookiesAllowance: DEFAULT_OTHER_COOKIES_ALLOWANCE * 2 };
 * ```
 */
export const DEFAULT_OTHER_COOKIES_ALLOWANCE = 2048;

/**
 * Size limits for the session cookies.
 *
 * @example
 * ```ts
 * const budget: CookieBudget = { otherCookiesAllowance: 3000 }; // an app with large cookies
 * ```
 */
export interface CookieBudget {
  /** Each `Set-Cookie` value at most this many bytes; defaults to {@link MAX_SET_COOKIE_BYTES}. */
  readonly maxSetCookieBytes?: number;
  /** The whole `Cookie` line at most this; defaults to {@link MAX_COOKIE_HEADER_BYTES}. */
  readonly maxCookieHeaderBytes?: number;
  /** Reserved for other cookies; defaults to {@link DEFAULT_OTHER_COOKIES_ALLOWANCE}. */
  readonly otherCookiesAllowance?: number;
}

/**
 * Measures the `Cookie` request header line (`Cookie: a=1; b=2`) that the given cookies make.
 *
 * @example
 * ```ts
 * cookieHeaderBytes([{ name: 'logto', value: 'abc' }]); // 17
 * ```
 */
export function cookieHeaderBytes(
  cookies: readonly { readonly name: string; readonly value: string }[],
): number {
  const pairs = cookies.map((cookie) => `${cookie.name}=${cookie.value}`);
  return byteLength(`Cookie: ${pairs.join('; ')}`);
}

/**
 * Whether a value written as the (possibly chunked) cookie `<name>` stays within the budget:
 * every `Set-Cookie` within the per-cookie limit and the `Cookie` header, plus the allowance for
 * other cookies, within the header limit.
 *
 * @example
 * ```ts
 * fitsCookieBudget('logto', sealed, attributes, 86_400); // true for sessions under about 6 KB
 * ```
 */
export function fitsCookieBudget(
  name: string,
  value: string,
  attributes: CookieAttributes,
  maxAge: number,
  budget: CookieBudget = {},
): boolean {
  const maxHeader = budget.maxCookieHeaderBytes ?? MAX_COOKIE_HEADER_BYTES;
  const allowance = budget.otherCookiesAllowance ?? DEFAULT_OTHER_COOKIES_ALLOWANCE;
  // Cheap reject before splitting: the value alone already exceeds the header budget.
  if (value.length + allowance > maxHeader) return false;
  let chunks: ReturnType<typeof splitCookie>;
  try {
    chunks = splitCookie(name, value, attributes, maxAge, budget.maxSetCookieBytes);
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
  // `; ` joins our cookies to the others; count it inside the allowance's share.
  return cookieHeaderBytes(chunks) + allowance <= maxHeader;
}

/**
 * The longest cookie-safe (ASCII) value that {@link fitsCookieBudget} accepts for `<name>`:
 * the layout only depends on the length, so a sealed value fits exactly when it is no longer.
 *
 * @example
 * ```ts
 * const maxLength = maxCookieValueLength('logto', attributes, 86_400); // about 6 000
 * const fits = (sealed: string) => sealed.length <= maxLength;
 * ```
 */
export function maxCookieValueLength(
  name: string,
  attributes: CookieAttributes,
  maxAge: number,
  budget: CookieBudget = {},
): number {
  const fits = (length: number): boolean =>
    fitsCookieBudget(name, 'a'.repeat(length), attributes, maxAge, budget);
  let low = 0; // fits (the empty value is never written, so 0 stands for "nothing fits")
  let high = budget.maxCookieHeaderBytes ?? MAX_COOKIE_HEADER_BYTES; // never fits
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * How {@link fitToBudget} seals, measures and shrinks.
 *
 * @example
 * ```ts
 * const strategy: FitStrategy<SessionPayload> = {
 *   seal: (payload) => sealSession(payload, keys, { expiresAt, now }),
 *   fits: (sealed) => fitsCookieBudget('logto', sealed, attributes, maxAge),
 *   shrink: (payload) => dropLeastRecentlyUsedTokens(payload.data, { now }),
 * };
 * ```
 */
export interface FitStrategy<T> {
  readonly seal: (data: T) => Promise<string>;
  readonly fits: (sealed: string) => boolean;
  /** Makes `data` smaller in place; returns false when there is nothing left to drop. */
  readonly shrink: (data: T) => boolean;
}

/**
 * The outcome of {@link fitToBudget}.
 *
 * @example
 * ```ts
 * const { sealed, shrinks } = await fitToBudget(payload, strategy);
 * if (shrinks > 0) logger.debug(`left ${shrinks} cached tokens out of the session cookie`);
 * ```
 */
export interface FitResult<T> {
  /** The data that was sealed: a copy, smaller than the input when `shrinks > 0`. */
  readonly data: T;
  readonly sealed: string;
  /** How many times `shrink` removed something. */
  readonly shrinks: number;
}

/**
 * Seals `data` and, while the result does not fit, lets `shrink` drop something from a copy of
 * it and seals again. The caller's data is never changed.
 *
 * @throws {@link SessionTooLargeError} when `shrink` has nothing left to drop and the value
 *   still does not fit.
 *
 * @example
 * ```ts
 * const { sealed } = await fitToBudget(session, {
 *   seal: (value) => sealSession(value, keys, { expiresAt, now }),
 *   fits: (value) => fitsCookieBudget(cookieName, value, attributes, maxAge),
 *   shrink: (value) => dropLeastRecentlyUsedTokens(value.data, { now }),
 * });
 * ```
 */
export async function fitToBudget<T>(data: T, strategy: FitStrategy<T>): Promise<FitResult<T>> {
  const working = structuredClone(data);
  let shrinks = 0;
  for (;;) {
    const sealed = await strategy.seal(working);
    if (strategy.fits(sealed)) return { data: working, sealed, shrinks };
    if (!strategy.shrink(working)) throw new SessionTooLargeError();
    shrinks += 1;
  }
}
