/**
 * A small bounded map that forgets the least recently used entry first. Used for caches whose
 * keys are already-verified values (a sealed session cookie, a signed session id), so a repeat
 * request skips the cryptography it already did.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) {
      throw new TypeError('maxEntries must be a whole number ≥ 0');
    }
  }

  /** The most recently used key: a hit on it needs no reordering (the common case). */
  #newest: K | undefined;

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined || key === this.#newest) return value;
    // Re-insert: a Map iterates in insertion order, so the first key is the least recent.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
    return value;
  }

  set(key: K, value: V): void {
    if (this.maxEntries === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
    if (this.#entries.size > this.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as K);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
    if (key === this.#newest) this.#newest = undefined;
  }

  get size(): number {
    return this.#entries.size;
  }
}
