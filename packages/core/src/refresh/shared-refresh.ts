/**
 * Refresh single-flight across processes, over a {@link RefreshLock}:
 * 1. a finished grant's result is shared for a short grace period under a hash of the refresh
 *    token it spent (and of the target), encrypted with a key derived from that refresh token;
 * 2. otherwise the caller takes the lock of that refresh token (with expiry), checks again,
 *    performs the grant and shares the result and the rotated refresh token before releasing;
 * 3. a caller that finds the lock taken polls until the result appears, or until the lock
 *    expires (its holder crashed) and it can take it.
 * Another target with a rotated token follows the rotation instead of replaying the old token.
 *
 * The grant has spent the old refresh token by the time its result is shared: when the shared
 * store fails then (Redis died), the result is still returned — the process coordinator keeps
 * it — and the write is tried again in the background until it lands or the grace period ends.
 */
import { base64url } from 'jose';
import { SessionStoreUnavailableError } from '../errors.js';
import type { CoordinatedResult } from './coordinator.js';
import type { RefreshLock } from './lock.js';

/** How long results and rotations stay shared: 60 s, as in the process coordinator. */
export const SHARED_GRACE = 60_000;
const MAX_HOPS = 8;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Timing of a shared refresh. */
export interface SharedRefreshOptions {
  /** How long the lock is held at most (a crashed holder blocks others this long). */
  readonly lockTtl: number;
  /** How long results stay shared; defaults to {@link SHARED_GRACE}. */
  readonly grace?: number;
}

interface Lane {
  readonly name: string;
  readonly key: CryptoKey;
}

/**
 * Gets tokens for `target` with `refreshToken`, performing at most one grant per refresh token
 * across every process that shares `lock`. `scope` separates clients (endpoint and app ID).
 */
export async function sharedRefresh<T extends CoordinatedResult>(
  lock: RefreshLock,
  scope: string,
  refreshToken: string,
  target: string,
  perform: (refreshToken: string) => Promise<T>,
  options: SharedRefreshOptions,
): Promise<T> {
  const grace = options.grace ?? SHARED_GRACE;
  let token = refreshToken;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const lane = await deriveLane(scope, token);
    const resultName = `${lane.name}.${await digest(target)}`;
    const rotationName = `${lane.name}.rotated`;
    const lookUp = async (): Promise<T | string | undefined> => {
      const result = await read<T>(lock, lane, resultName);
      if (result && Date.now() < result.expiresAt * 1000) return result;
      const rotated = await read<string>(lock, lane, rotationName);
      return rotated && rotated !== token ? rotated : undefined;
    };

    const deadline = Date.now() + 2 * options.lockTtl;
    let found = await lookUp();
    let delay = 10;
    while (found === undefined) {
      const release = await lock.acquire(`${lane.name}.lock`, options.lockTtl);
      if (release) {
        try {
          // Another instance may have finished between the look-up and the acquire.
          found = await lookUp();
          if (found !== undefined) break;
          const result = await perform(token);
          await share(async () => {
            await write(lock, lane, resultName, result, grace);
            if (result.refreshToken !== token) {
              await write(lock, lane, rotationName, result.refreshToken, grace);
            }
          }, grace);
          return result;
        } finally {
          await release().catch(() => {
            // The lock expires by itself after lockTtl; nothing else depends on this release.
          });
        }
      }
      if (Date.now() > deadline) {
        throw new SessionStoreUnavailableError(
          'Another instance held the refresh lock for too long; try again shortly.',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 100);
      found = await lookUp();
    }
    if (typeof found !== 'string') return found;
    token = found; // rotated by another instance for another target: continue with the new token
  }
  // Only reachable with a pathological rotation chain; fall back to a plain grant.
  return perform(token);
}

/** How often a failed share is tried again: every 500 ms. */
const SHARE_RETRY_DELAY = 500;

/** Runs `writes`; when it fails, tries again in the background for up to `grace` ms. */
async function share(writes: () => Promise<void>, grace: number): Promise<void> {
  try {
    await writes();
  } catch {
    const until = Date.now() + grace;
    const retry = (): void => {
      writes().catch(() => {
        if (Date.now() + SHARE_RETRY_DELAY < until) setTimeout(retry, SHARE_RETRY_DELAY).unref();
      });
    };
    // The caller gets its result now; other instances find it once the store is back.
    setTimeout(retry, SHARE_RETRY_DELAY).unref();
  }
}

async function deriveLane(scope: string, refreshToken: string): Promise<Lane> {
  const material = await crypto.subtle.importKey(
    'raw',
    encoder.encode(refreshToken),
    'HKDF',
    false,
    ['deriveKey', 'deriveBits'],
  );
  const params = (info: string): HkdfParams => ({
    name: 'HKDF',
    hash: 'SHA-256',
    salt: encoder.encode(scope),
    info: encoder.encode(`logto-kit shared refresh ${info} v1`),
  });
  const [nameBits, key] = await Promise.all([
    crypto.subtle.deriveBits(params('name'), material, 256),
    crypto.subtle.deriveKey(params('key'), material, { name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]),
  ]);
  return { name: base64url.encode(new Uint8Array(nameBits)), key };
}

async function digest(value: string): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', encoder.encode(value));
  return base64url.encode(new Uint8Array(bytes)).slice(0, 22);
}

async function write(
  lock: RefreshLock,
  lane: Lane,
  name: string,
  value: unknown,
  ttl: number,
): Promise<void> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(name) },
    lane.key,
    encoder.encode(JSON.stringify(value)),
  );
  await lock.set(name, `${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`, ttl);
}

async function read<T>(lock: RefreshLock, lane: Lane, name: string): Promise<T | undefined> {
  const value = await lock.get(name);
  const [iv, sealed] = value?.split('.') ?? [];
  if (!iv || !sealed) return undefined;
  try {
    const plaintext = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: base64url.decode(iv) as Uint8Array<ArrayBuffer>,
        additionalData: encoder.encode(name),
      },
      lane.key,
      base64url.decode(sealed) as Uint8Array<ArrayBuffer>,
    );
    return JSON.parse(decoder.decode(plaintext)) as T;
  } catch {
    // Not written by a holder of this refresh token (or corrupt): as good as absent.
    return undefined;
  }
}
