import { type CookieAttributes, serializeCookie, serializeDeletion } from './cookie.js';
import { byteLength } from './lib/bytes.js';

/**
 * The largest `Set-Cookie` header value we write, in bytes, name and attributes included.
 * Browsers keep cookies up to 4096 bytes; staying strictly below leaves no edge case.
 *
 * @example
 * ```ts
 * for (const header of setCookies) assert(byteLength(header) <= MAX_SET_COOKIE_BYTES);
 * ```
 */
export const MAX_SET_COOKIE_BYTES = 4095;

/**
 * The most chunks a value may span; more reads as garbage. Far above the 8 KB header budget.
 *
 * @example
 * ```ts
 * splitCookie(cookieName, hugeValue, attributes, maxAge); // throws RangeError above MAX_CHUNKS
 * ```
 */
export const MAX_CHUNKS = 16;

/**
 * One cookie to write.
 *
 * @example
 * ```ts
 * const chunk: CookieChunk = { name: 'logto.0', value: 'eyJhbGciOi…' };
 * ```
 */
export interface CookieChunk {
  readonly name: string;
  readonly value: string;
}

const VALUE_PATTERN = /^[\w.-]+$/;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiled per cookie name once: a handful of names per app, read on every request. */
const chunkPatterns = new Map<string, RegExp>();

function chunkPattern(name: string): RegExp {
  let pattern = chunkPatterns.get(name);
  if (!pattern) {
    if (chunkPatterns.size >= 64) chunkPatterns.clear();
    pattern = new RegExp(`^${escapeRegExp(name)}\\.(\\d+)$`);
    chunkPatterns.set(name, pattern);
  }
  return pattern;
}

/**
 * Splits a value over cookies so that each serialised `Set-Cookie` stays within
 * {@link MAX_SET_COOKIE_BYTES}: one cookie `<name>` when it fits, else `<name>.0`, `<name>.1`, …
 * The value must be cookie-safe already (a compact JWE or a signed id is).
 *
 * @throws RangeError when the value would need more than {@link MAX_CHUNKS} cookies, or the name
 *   and attributes alone leave no room for a value.
 *
 * @example
 * ```ts
 * splitCookie('logto', sealed, attributes, 86_400);
 * // [{ name: 'logto.0', value: 'eyJ…' }, { name: 'logto.1', value: '…' }] for a 6 KB value
 * ```
 */
export function splitCookie(
  name: string,
  value: string,
  attributes: CookieAttributes,
  maxAge: number,
  maxBytes: number = MAX_SET_COOKIE_BYTES,
): CookieChunk[] {
  if (byteLength(serializeCookie(name, value, attributes, maxAge)) <= maxBytes) {
    return [{ name, value }];
  }
  for (let digits = 1; digits <= String(MAX_CHUNKS - 1).length; digits += 1) {
    const widestName = `${name}.${'9'.repeat(digits)}`;
    const room = maxBytes - byteLength(serializeCookie(widestName, '', attributes, maxAge));
    if (room <= 0) break;
    const count = Math.ceil(value.length / room);
    if (count > MAX_CHUNKS) break;
    if (String(count - 1).length <= digits) {
      return Array.from({ length: count }, (_, index) => ({
        name: `${name}.${index}`,
        value: value.slice(index * room, (index + 1) * room),
      }));
    }
  }
  throw new RangeError(`The cookie "${name}" is too large to split into ${MAX_CHUNKS} cookies`);
}

/**
 * The names of the cookies a chunked value `<name>` occupies in a parsed `Cookie` header:
 * `<name>` itself and `<name>.<n>` for the chunks this library could have written
 * (`n` < {@link MAX_CHUNKS}). Other names are someone else's (or an attack's): never read, never
 * answered with a deletion each.
 *
 * @example
 * ```ts
 * presentCookieNames({ logto: 'a', 'logto.1': 'b', other: 'c' }, 'logto'); // ['logto', 'logto.1']
 * ```
 */
export function presentCookieNames(
  cookies: Readonly<Record<string, string | undefined>>,
  name: string,
): string[] {
  const pattern = chunkPattern(name);
  return Object.keys(cookies).filter((key) => {
    if (key === name) return true;
    const index = pattern.exec(key)?.[1];
    return index !== undefined && index.length <= 2 && Number(index) < MAX_CHUNKS;
  });
}

/**
 * Joins a value written by {@link splitCookie} back from parsed cookies. A lone `<name>` is
 * returned as is; chunks must run `.0` to `.n` without a gap, duplicate, stray single cookie or
 * bad character, else the value is garbage and this gives `undefined`.
 *
 * @example
 * ```ts
 * joinCookie(parseCookieHeader(request.headers.get('cookie')), 'logto'); // 'eyJ…' or undefined
 * ```
 */
export function joinCookie(
  cookies: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const names = presentCookieNames(cookies, name);
  if (names.length === 0) return undefined;
  if (names.length === 1 && names[0] === name) return validValue(cookies[name]);
  if (names.includes(name) || names.length > MAX_CHUNKS) return undefined;
  const parts: string[] = [];
  for (let index = 0; index < names.length; index += 1) {
    const part = validValue(cookies[`${name}.${index}`]);
    if (part === undefined) return undefined; // a gap, or a name like `.01`, or garbage
    parts.push(part);
  }
  return parts.join('');
}

function validValue(value: string | undefined): string | undefined {
  return value !== undefined && VALUE_PATTERN.test(value) ? value : undefined;
}

/**
 * `Set-Cookie` values that write a (possibly chunked) value and delete every cookie of the same
 * family that the request carried but this write does not replace (stale chunks after the value
 * shrank, or the single cookie after it grew into chunks).
 *
 * @param present - Names from {@link presentCookieNames} for the incoming request.
 *
 * @example
 * ```ts
 * const headers = writeChunkedCookie('logto', sealed, attributes, 86_400, ['logto.0', 'logto.1']);
 * // ['logto=eyJ…; …', 'logto.0=; Max-Age=0; …', 'logto.1=; Max-Age=0; …']
 * ```
 */
export function writeChunkedCookie(
  name: string,
  value: string,
  attributes: CookieAttributes,
  maxAge: number,
  present: readonly string[] = [],
): string[] {
  const chunks = splitCookie(name, value, attributes, maxAge);
  const written = new Set(chunks.map((chunk) => chunk.name));
  return [
    ...chunks.map((chunk) => serializeCookie(chunk.name, chunk.value, attributes, maxAge)),
    ...deleteCookies(
      present.filter((stale) => !written.has(stale)),
      attributes,
    ),
  ];
}

/**
 * `Set-Cookie` values that delete the given cookies.
 *
 * @example
 * ```ts
 * deleteCookies(presentCookieNames(cookies, 'logto'), attributes); // sign-out
 * ```
 */
export function deleteCookies(names: readonly string[], attributes: CookieAttributes): string[] {
  return [...new Set(names)].map((name) => serializeDeletion(name, attributes));
}
