/**
 * Core's `Set-Cookie` values, as Next.js wants them: options for `cookies().set()`, and the
 * `Cookie` header a render sees once they are applied.
 *
 * @module
 */

/** The options `cookies().set()` takes, read from a `Set-Cookie` value. */
export interface CookieWrite {
  name: string;
  value: string;
  options: {
    path?: string;
    domain?: string;
    maxAge?: number;
    expires?: Date;
    httpOnly?: boolean;
    secure?: boolean;
    sameSite?: 'lax' | 'strict' | 'none';
  };
}

/**
 * Reads one `Set-Cookie` value (as core writes them: `name=value; Max-Age=…; Path=/; HttpOnly;
 * SameSite=Lax`).
 *
 * @example
 * ```ts
 * parseSetCookie('logto=abc; Max-Age=60; Path=/; HttpOnly'); // { name: 'logto', value: 'abc', … }
 * ```
 */
export function parseSetCookie(setCookie: string): CookieWrite {
  const [pair = '', ...attributes] = setCookie.split(';');
  const equals = pair.indexOf('=');
  const write: CookieWrite = {
    name: pair.slice(0, equals).trim(),
    value: pair.slice(equals + 1).trim(),
    options: {},
  };
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=');
    const value = rest.join('=').trim();
    switch (key.trim().toLowerCase()) {
      case 'path':
        write.options.path = value;
        break;
      case 'domain':
        write.options.domain = value;
        break;
      case 'max-age':
        write.options.maxAge = Number(value);
        break;
      case 'expires':
        write.options.expires = new Date(value);
        break;
      case 'httponly':
        write.options.httpOnly = true;
        break;
      case 'secure':
        write.options.secure = true;
        break;
      case 'samesite':
        write.options.sameSite = value.toLowerCase() as 'lax' | 'strict' | 'none';
        break;
    }
  }
  return write;
}

/** Whether a `Set-Cookie` value deletes its cookie (`Max-Age=0`, or an expiry in the past). */
function deletes(write: CookieWrite): boolean {
  const { maxAge, expires } = write.options;
  return (maxAge !== undefined && maxAge <= 0) || (expires !== undefined && expires < new Date());
}

/**
 * The `Cookie` header a browser would send after receiving `setCookies`: values replaced or
 * added, deleted cookies left out, every other cookie kept in its place.
 *
 * @example
 * ```ts
 * applySetCookies('a=1; logto=old', ['logto=new; Path=/']); // 'a=1; logto=new'
 * ```
 */
export function applySetCookies(
  header: string | null | undefined,
  setCookies: readonly string[],
): string {
  const jar = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    jar.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  for (const setCookie of setCookies) {
    const write = parseSetCookie(setCookie);
    if (deletes(write)) jar.delete(write.name);
    else jar.set(write.name, write.value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}
