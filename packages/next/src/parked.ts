/**
 * Cookies a Server Component could not send. A render cannot set cookies; when it had to make a
 * refresh grant anyway (a token the session never had), the session it would have written is
 * parked here under a hash of the refresh token it replaced, and the next proxy run that sees
 * that refresh token applies it. Process-wide through `globalThis` (Next.js loads the proxy and
 * the render as separate module instances in the same process); with several instances, keep
 * sessions in a store (`session.store`), where a render's write needs no cookie.
 *
 * @module
 */

/** How long a parked session waits for its next request: the refresh token's usual lifetime. */
const PARK_TTL = 14 * 24 * 3600 * 1000;
/** At most this many parked sessions (the oldest go first). */
const PARK_LIMIT = 10_000;

interface Parked {
  readonly cookies: readonly string[];
  readonly until: number;
}

const registryKey = Symbol.for('@logto-kit/next.parked-sessions');
const holder = globalThis as { [registryKey]?: Map<string, Parked> };
holder[registryKey] ??= new Map<string, Parked>();
const registry: Map<string, Parked> = holder[registryKey];

async function keyOf(refreshToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(refreshToken));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Parks the `Set-Cookie` values of a session whose refresh token `spent` was replaced.
 *
 * @example
 * ```ts
 * await parkSession(refreshToken, cookies);
 * ```
 */
export async function parkSession(spent: string, cookies: readonly string[]): Promise<void> {
  const key = await keyOf(spent);
  registry.delete(key);
  registry.set(key, { cookies, until: Date.now() + PARK_TTL });
  while (registry.size > PARK_LIMIT) registry.delete(registry.keys().next().value as string);
}

/**
 * The parked `Set-Cookie` values for a session still carrying `refreshToken`, if any. They stay
 * parked until they expire: several requests may still carry the old cookie.
 *
 * @example
 * ```ts
 * const cookies = await parkedSession(refreshToken);
 * ```
 */
export async function parkedSession(refreshToken: string): Promise<readonly string[] | undefined> {
  if (registry.size === 0) return undefined;
  const key = await keyOf(refreshToken);
  const parked = registry.get(key);
  if (!parked) return undefined;
  if (parked.until > Date.now()) return parked.cookies;
  registry.delete(key);
  return undefined;
}
