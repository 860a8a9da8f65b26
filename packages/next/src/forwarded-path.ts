/**
 * The page's path, forwarded by the proxy to the render in a request header: a Server Component
 * cannot learn its own URL, and needs it to come back after the refresh route or sign-in. The
 * proxy removes any copy a client sent; a value is only ever used as a same-origin `returnTo`,
 * which core checks again.
 *
 * @module
 */

/** The request header the proxy sets for the render. */
export const PATH_HEADER = 'x-logto-kit-path';

/**
 * The forwarded path and query, when the proxy ran for this request and set one.
 *
 * @example
 * ```ts
 * const path = forwardedPath(await headers()); // '/dashboard?tab=2'
 * ```
 */
export function forwardedPath(headers: Pick<Headers, 'get'>): string | undefined {
  const path = headers.get(PATH_HEADER);
  return path?.startsWith('/') && !path.startsWith('//') ? path : undefined;
}
