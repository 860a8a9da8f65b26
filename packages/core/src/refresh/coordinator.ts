/**
 * Process-wide coordination of refresh-token grants, so a rotating refresh token is never spent
 * twice by this process:
 * - one grant at a time per refresh token (single-flight), whatever client instance asks — 50
 *   per-request clients holding copies of one session make one token request;
 * - callers wanting another target with the same refresh token wait, then continue with the
 *   rotated token;
 * - for a short grace period the result stays known under (a hash of) the old refresh token, so
 *   a late caller still holding it gets the new tokens instead of replaying it — and a session
 *   that still carries a spent token can catch up with the newest ({@link RefreshCoordinator.latest});
 * - a grant keeps running when its caller gives up (the caller has its own deadline): a token
 *   response that arrives late is recorded like any other, so the rotation it carries is kept.
 */
import { base64url } from 'jose';
import { LruCache } from '../lib/lru-cache.js';
import type { RefreshResult } from './grant.js';

/** What a refresh produced, as far as coordination cares. */
export interface CoordinatedResult {
  /** The refresh token to use from now on. */
  refreshToken: string;
  /** Epoch seconds until which the access token is usable. */
  expiresAt: number;
}

interface Lane<T extends CoordinatedResult> {
  /** The refresh token this lane is about (spent once the lane has a rotation). */
  token: string;
  inflight: { target: string; promise: Promise<T> } | undefined;
  results: Map<string, T>;
  rotatedTo: string | undefined;
  /** The last result of a grant made with this lane's token. */
  latest: T | undefined;
  touchedAt: number;
}

/** How long a finished refresh is remembered under the old refresh token: 60 s. */
export const ROTATION_GRACE = 60_000;
const MAX_LANES = 10_000;
const MAX_HOPS = 8;

/** See the module description. One instance serves the whole process. */
export class RefreshCoordinator<T extends CoordinatedResult = CoordinatedResult> {
  readonly #lanes = new Map<string, Lane<T>>();
  /** Lanes in the map whose token was rotated: while none is, `latest` has nothing to find. */
  #rotations = 0;
  readonly #grace: number;
  #sweptAt = 0;

  constructor(options?: { grace?: number }) {
    this.#grace = options?.grace ?? ROTATION_GRACE;
  }

  /**
   * Gets tokens for `target` with `refreshToken`, performing at most one grant per refresh
   * token at a time. `scope` separates clients (endpoint and app ID).
   */
  async refresh(
    scope: string,
    refreshToken: string,
    target: string,
    perform: (refreshToken: string) => Promise<T>,
  ): Promise<T> {
    let token = refreshToken;
    for (let hop = 0; hop < MAX_HOPS; hop += 1) {
      const key = await laneKey(scope, token);
      // From here to `lane.inflight = …` there is no await: the check and the claim are atomic.
      this.#sweep();
      const lane = this.#lanes.get(key) ?? {
        token,
        inflight: undefined,
        results: new Map<string, T>(),
        rotatedTo: undefined,
        latest: undefined,
        touchedAt: Date.now(),
      };
      if (lane.inflight) {
        const inflight = lane.inflight;
        if (inflight.target === target) return inflight.promise;
        // Another target is being fetched with this token: wait, then look again.
        await inflight.promise.catch(() => undefined);
        continue;
      }
      const known = lane.results.get(target);
      if (known && Date.now() < known.expiresAt * 1000) return known;
      if (lane.rotatedTo !== undefined && lane.rotatedTo !== token) {
        token = lane.rotatedTo;
        continue;
      }
      return this.#perform(key, lane, token, target, perform);
    }
    // Only reachable with a pathological rotation chain; fall back to a plain grant.
    return perform(token);
  }

  async #perform(
    key: string,
    lane: Lane<T>,
    token: string,
    target: string,
    perform: (refreshToken: string) => Promise<T>,
  ): Promise<T> {
    const promise = perform(token);
    lane.inflight = { target, promise };
    this.#lanes.set(key, lane);
    try {
      const result = await promise;
      lane.results.set(target, result);
      lane.latest = result;
      if (result.refreshToken !== token) {
        if (lane.rotatedTo === undefined) this.#rotations += 1;
        lane.rotatedTo = result.refreshToken;
      }
      return result;
    } finally {
      lane.inflight = undefined;
      lane.touchedAt = Date.now();
    }
  }

  /**
   * When `refreshToken` was spent by a grant of this process within the grace period: the
   * newest result along its rotations (its `refreshToken` is the one to use now), and the
   * newest result per target met on the way. `undefined` when the token was not rotated here
   * (or too long ago). No network.
   */
  async latest(
    scope: string,
    refreshToken: string,
  ): Promise<{ result: T; byTarget: Map<string, T> } | undefined> {
    // The usual request: nothing was rotated in this process lately, so nothing to hash.
    if (this.#rotations === 0) return undefined;
    let token = refreshToken;
    let result: T | undefined;
    const byTarget = new Map<string, T>();
    for (let hop = 0; hop < MAX_HOPS; hop += 1) {
      const lane = this.#lanes.get(await laneKey(scope, token));
      if (!lane?.latest || lane.rotatedTo === undefined || lane.rotatedTo === token) break;
      result = lane.latest;
      for (const [target, value] of lane.results) byTarget.set(target, value);
      token = lane.rotatedTo;
    }
    return result && { result, byTarget };
  }

  /**
   * Forgets every rotation that led to `refreshToken` and the results kept under it (sign-out
   * revokes it): a copy of the session that still holds an older token does not catch up with
   * tokens issued before the sign-out.
   */
  async forget(scope: string, refreshToken: string): Promise<void> {
    this.#drop(await laneKey(scope, refreshToken));
    let targets = new Set([refreshToken]);
    for (let hop = 0; hop < MAX_HOPS && targets.size > 0; hop += 1) {
      const earlier = new Set<string>();
      for (const [key, lane] of this.#lanes) {
        if (lane.rotatedTo === undefined || !targets.has(lane.rotatedTo)) continue;
        this.#drop(key);
        earlier.add(lane.token);
      }
      targets = earlier;
    }
  }

  #drop(key: string): void {
    if (this.#lanes.get(key)?.rotatedTo !== undefined) this.#rotations -= 1;
    this.#lanes.delete(key);
  }

  #sweep(): void {
    const now = Date.now();
    if (now - this.#sweptAt < 1_000 && this.#lanes.size <= MAX_LANES) return;
    this.#sweptAt = now;
    for (const [key, lane] of this.#lanes) {
      if (lane.inflight === undefined && now - lane.touchedAt > this.#grace) {
        this.#drop(key);
      }
    }
    while (this.#lanes.size > MAX_LANES) {
      const oldest = this.#lanes.keys().next().value;
      if (oldest === undefined) break;
      this.#drop(oldest);
    }
  }
}

/**
 * Lane keys already computed: every request of a session looks up the same token, and a hash per
 * request was most of a protected request's CPU. (The session manager's cache of decrypted
 * sessions holds the same tokens in this process's memory.)
 */
const laneKeys = new LruCache<string, string>(10_000);

/** A hash of the scope and refresh token: the lanes are not keyed by a token. */
async function laneKey(scope: string, refreshToken: string): Promise<string> {
  const input = `${scope}\n${refreshToken}`;
  const known = laneKeys.get(input);
  if (known !== undefined) return known;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(input));
  const key = base64url.encode(new Uint8Array(digest));
  laneKeys.set(input, key);
  return key;
}

/**
 * Where the process keeps its one coordinator: on `globalThis`, not in this module, because a
 * bundler may load core more than once in one process (Next.js loads the proxy and the pages as
 * separate module instances), and two coordinators would each spend a refresh token once.
 * Versioned: a future core whose coordinator differs keeps its own.
 */
const coordinatorKey = Symbol.for('@logto-kit/core.refresh-coordinator.v1');

/** The coordinator every client of this process shares, whichever copy of core it loaded. */
export const refreshCoordinator: RefreshCoordinator<RefreshResult> = processCoordinator();

function processCoordinator(): RefreshCoordinator<RefreshResult> {
  const holder = globalThis as { [coordinatorKey]?: RefreshCoordinator<RefreshResult> };
  holder[coordinatorKey] ??= new RefreshCoordinator<RefreshResult>();
  return holder[coordinatorKey];
}
