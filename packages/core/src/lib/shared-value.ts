/** Options of a {@link SharedValue}. */
export interface SharedValueOptions {
  /** Milliseconds a loaded value is fresh. */
  ttl: number;
  /** Milliseconds a value may still be served when reloading it fails. */
  maxStale: number;
  /** Milliseconds to wait before trying again after a failed reload (while serving stale). */
  retryDelay: number;
}

/**
 * A value loaded on demand, shared by every caller: one load at a time (single-flight), fresh
 * for `ttl`, then reloaded. When a reload fails, the previous value is served for up to
 * `maxStale` rather than failing every caller; with no previous value the error is thrown and
 * nothing is cached, so the next call tries again.
 */
export class SharedValue<T> {
  readonly #options: SharedValueOptions;
  #current: { value: T; loadedAt: number } | undefined;
  #pending: Promise<T> | undefined;
  #retryAfter = 0;

  constructor(options: SharedValueOptions) {
    this.#options = options;
  }

  /** The last loaded value (fresh or not), without loading. */
  peek(): T | undefined {
    return this.#current?.value;
  }

  /** When the current value was loaded (epoch ms), if any. */
  loadedAt(): number | undefined {
    return this.#current?.loadedAt;
  }

  async get(load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const current = this.#current;
    if (current && now - current.loadedAt < this.#options.ttl) return current.value;
    if (current && now < this.#retryAfter && now - current.loadedAt < this.#options.maxStale) {
      return current.value;
    }
    return this.reload(load);
  }

  /** Loads now (joining a load already in flight). */
  reload(load: () => Promise<T>): Promise<T> {
    if (this.#pending) return this.#pending;
    const pending = (async () => {
      try {
        const value = await load();
        this.#current = { value, loadedAt: Date.now() };
        this.#retryAfter = 0;
        return value;
      } catch (error) {
        const current = this.#current;
        if (current && Date.now() - current.loadedAt < this.#options.maxStale) {
          this.#retryAfter = Date.now() + this.#options.retryDelay;
          return current.value;
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
