/** Options of a {@link SharedValue}. */
export interface SharedValueOptions extends Freshness {
  /** Milliseconds to wait before trying again after a failed reload (while serving stale). */
  retryDelay: number;
}

/** How fresh a caller needs the value: the value's default, or stricter for one caller. */
export interface Freshness {
  /** Milliseconds a loaded value is fresh. */
  ttl: number;
  /** Milliseconds a value may still be served when reloading it fails. */
  maxStale: number;
}

/** A loaded value and its age. */
export interface Loaded<T> {
  readonly value: T;
  /** Epoch ms when the load that produced it began: the value is at least this recent. */
  readonly loadedAt: number;
}

/**
 * A value loaded on demand, shared by every caller: one load at a time (single-flight), fresh
 * for `ttl`, then reloaded. When a reload fails, the previous value is served for up to
 * `maxStale` rather than failing every caller, and the next attempt waits `retryDelay` (a caller
 * that cannot use the stale value gets the failure meanwhile); with no previous value the error
 * is thrown and nothing is cached, so the next call tries again. A caller may ask for a shorter
 * `ttl` and `maxStale` than the value's own (a resource server's `jwksMaxAge`).
 */
export class SharedValue<T> {
  readonly #options: SharedValueOptions;
  #current: Loaded<T> | undefined;
  #pending: Promise<Loaded<T>> | undefined;
  #retryAfter = 0;
  #failure: unknown;
  #loads = 0;

  constructor(options: SharedValueOptions) {
    this.#options = options;
  }

  /** The last loaded value (fresh or not), without loading. */
  peek(): T | undefined {
    return this.#current?.value;
  }

  /** When the load of the current value began (epoch ms), if any. */
  loadedAt(): number | undefined {
    return this.#current?.loadedAt;
  }

  /** How many loads have succeeded: a caller compares it to tell whether one ended meanwhile. */
  get loads(): number {
    return this.#loads;
  }

  async get(load: () => Promise<T>, freshness?: Freshness): Promise<T> {
    return (await this.getLoaded(load, freshness)).value;
  }

  /** The value with its age, fresh for `freshness` (default: the value's own). */
  getLoaded(load: () => Promise<T>, freshness: Freshness = this.#options): Promise<Loaded<T>> {
    const now = Date.now();
    const current = this.#current;
    if (current && now - current.loadedAt < freshness.ttl) return Promise.resolve(current);
    if (current && now < this.#retryAfter) {
      if (now - current.loadedAt < freshness.maxStale) return Promise.resolve(current);
      // Too old for this caller, and the last attempt failed moments ago: that failure.
      return Promise.reject(this.#failure);
    }
    return this.reload(load, freshness.maxStale);
  }

  /**
   * Loads now (joining a load already in flight). On failure, the previous value if it is
   * younger than `maxStale` (default: the value's own), else the error.
   */
  async reload(
    load: () => Promise<T>,
    maxStale: number = this.#options.maxStale,
  ): Promise<Loaded<T>> {
    try {
      return await this.#load(load);
    } catch (error) {
      const current = this.#current;
      if (current && Date.now() - current.loadedAt < maxStale) return current;
      throw error;
    }
  }

  #load(load: () => Promise<T>): Promise<Loaded<T>> {
    if (this.#pending) return this.#pending;
    const pending = (async () => {
      const startedAt = Date.now();
      try {
        const loaded = { value: await load(), loadedAt: startedAt };
        this.#current = loaded;
        this.#loads += 1;
        this.#retryAfter = 0;
        this.#failure = undefined;
        return loaded;
      } catch (error) {
        if (this.#current) {
          this.#retryAfter = Date.now() + this.#options.retryDelay;
          this.#failure = error;
        }
        throw error;
      } finally {
        this.#pending = undefined;
      }
    })();
    this.#pending = pending;
    return pending;
  }
}
