// cookie 1.x: 2.x needs Node 22, and we support Node >= 20.19.
import { parse as parseCookie, serialize as stringifyCookie } from 'cookie';

/**
 * The default cookie name prefix.
 *
 * @example
 * ```ts
 * resolveCookieOptions({ baseUrl: 'http://localhost:3000' }).sessionName === DEFAULT_COOKIE_PREFIX;
 * ```
 */
export const DEFAULT_COOKIE_PREFIX = 'logto';

/**
 * Input of {@link resolveCookieOptions}.
 *
 * @example
 * ```ts
 * const input: CookieOptionsInput = { baseUrl: 'https://app.example.com', prefix: 'shop' };
 * ```
 */
export interface CookieOptionsInput {
  /** The app's public base URL; `https:` turns on `Secure` and the `__Host-` name prefix. */
  readonly baseUrl: string | URL;
  /** Cookie name prefix: letters, digits, `_` and `-`. Defaults to {@link DEFAULT_COOKIE_PREFIX}. */
  readonly prefix?: string;
}

/**
 * The attributes every cookie of ours carries.
 *
 * @example
 * ```ts
 * const attributes: CookieAttributes = { path: '/', httpOnly: true, sameSite: 'lax', secure: true };
 * ```
 */
export interface CookieAttributes {
  readonly path: '/';
  readonly httpOnly: true;
  readonly sameSite: 'lax';
  readonly secure: boolean;
}

/**
 * Resolved cookie names and attributes.
 *
 * @example
 * ```ts
 * const { sessionName, attributes } = resolveCookieOptions({ baseUrl: 'https://app.example.com' });
 * // sessionName === '__Host-logto', attributes.secure === true
 * ```
 */
export interface CookieOptions {
  /** `<prefix>` on http, `__Host-<prefix>` on https; transaction cookies extend it. */
  readonly sessionName: string;
  readonly attributes: CookieAttributes;
}

const PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Resolves cookie names and attributes from the app's base URL: `HttpOnly`, `SameSite=Lax`,
 * `Path=/`, and on https `Secure` plus the `__Host-` prefix (which browsers only accept from a
 * secure origin, for `Path=/` and without `Domain`, so no subdomain can plant or read it).
 *
 * @throws TypeError when the base URL is not an http(s) URL or the prefix has other characters
 *   than letters, digits, `_` and `-`.
 *
 * @example
 * ```ts
 * const cookies = resolveCookieOptions({ baseUrl: 'http://localhost:3000' });
 * // { sessionName: 'logto', attributes: { path: '/', httpOnly: true, sameSite: 'lax', secure: false } }
 * ```
 */
export function resolveCookieOptions(input: CookieOptionsInput): CookieOptions {
  let url: URL;
  try {
    url = new URL(input.baseUrl);
  } catch (error) {
    throw new TypeError('The base URL must be an absolute http(s) URL', { cause: error });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('The base URL must be an absolute http(s) URL');
  }
  const prefix = input.prefix ?? DEFAULT_COOKIE_PREFIX;
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new TypeError(
      'The cookie prefix must be 1 to 64 letters, digits, "_" or "-" (no dots, spaces or "=")',
    );
  }
  const secure = url.protocol === 'https:';
  return Object.freeze({
    sessionName: secure ? `__Host-${prefix}` : prefix,
    attributes: Object.freeze({ path: '/', httpOnly: true, sameSite: 'lax', secure }),
  });
}

/**
 * Parses a `Cookie` request header. When a name repeats, the first value wins (the most specific
 * path, as browsers send it). Missing or empty headers give an empty object.
 *
 * @example
 * ```ts
 * parseCookieHeader('logto=abc; theme=dark'); // { logto: 'abc', theme: 'dark' }
 * parseCookieHeader(undefined);              // {}
 * ```
 */
export function parseCookieHeader(header: string | null | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null);
  if (!header) return cookies;
  for (const [name, value] of Object.entries(parseCookie(header))) {
    if (value !== undefined) cookies[name] = value;
  }
  return cookies;
}

/**
 * Serialises one `Set-Cookie` header value.
 *
 * @param maxAge - Lifetime in seconds; `0` deletes the cookie.
 *
 * @example
 * ```ts
 * serializeCookie('logto', sealed, attributes, 86_400);
 * // 'logto=eyJ…; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax'
 * ```
 */
export function serializeCookie(
  name: string,
  value: string,
  attributes: CookieAttributes,
  maxAge: number,
): string {
  return stringifyCookie(name, value, {
    maxAge: Math.max(0, Math.floor(maxAge)),
    ...attributes,
  });
}

/**
 * Serialises a `Set-Cookie` header value that deletes a cookie. It carries the same `Path` and
 * `Secure` as the original (a `__Host-` cookie can only be deleted by a secure, `Path=/` one).
 *
 * @example
 * ```ts
 * serializeDeletion('logto.1', attributes); // 'logto.1=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax'
 * ```
 */
export function serializeDeletion(name: string, attributes: CookieAttributes): string {
  return serializeCookie(name, '', attributes, 0);
}

/**
 * The name of a `Set-Cookie` header value (the part before the first `=`).
 *
 * @example
 * ```ts
 * setCookieName('logto.0=abc; Path=/'); // 'logto.0'
 * ```
 */
export function setCookieName(setCookie: string): string {
  const end = setCookie.indexOf('=');
  return end === -1 ? setCookie : setCookie.slice(0, end);
}
