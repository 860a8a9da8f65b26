/**
 * Resolves a `returnTo` value to a same-origin path, or `undefined` when it points anywhere
 * else. Accepts a path (`/orders?id=1`) or an absolute URL on the app's own origin; refuses
 * other origins, protocol-relative (`//evil.example`) and backslash tricks (`/\evil.example`),
 * also when they only appear once dot segments are resolved (`/.//evil.example`).
 *
 * @example
 * safeReturnTo('/orders', 'http://localhost:3000'); // '/orders'
 * safeReturnTo('https://evil.example/', 'http://localhost:3000'); // undefined
 */
export function safeReturnTo(
  value: string | null | undefined,
  baseUrl: string | URL,
): string | undefined {
  if (!value || value.length > 2048) return undefined;
  const base = new URL(baseUrl);
  // Browsers treat `\` like `/` and ignore tabs and newlines in URLs: refuse them outright.
  if (/[\\\t\n\r]/.test(value)) return undefined;
  if (value.startsWith('//')) return undefined;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin) return undefined;
  // `/.//evil.example` resolves to the path `//evil.example`, which a browser reads as a host.
  if (url.pathname.startsWith('//')) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
