import type { SessionStorage } from '../session/session.js';
import type { Storage, StorageKey } from '../storage.js';

/**
 * The `Storage` a request's {@link LogtoClient} sees: tokens live in the session (cookie or
 * store); sign-ins in flight (`signInSession`) live apart, one short-lived cookie per `state`,
 * so two tabs signing in at once never overwrite each other's transaction.
 */
export class RequestStorage implements Storage {
  #signIns: Record<string, unknown>;
  readonly #initialStates: ReadonlySet<string>;

  constructor(
    readonly session: SessionStorage,
    signIns: Record<string, unknown> = {},
  ) {
    this.#signIns = { ...signIns };
    this.#initialStates = new Set(Object.keys(signIns));
  }

  get(key: StorageKey): string | null {
    if (key === 'signInSession') return JSON.stringify(this.#signIns);
    return this.session.get(key);
  }

  set(key: StorageKey, value: string): void {
    if (key !== 'signInSession') {
      this.session.set(key, value);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = {};
    }
    this.#signIns =
      parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
  }

  delete(key: StorageKey): void {
    if (key === 'signInSession') this.#signIns = {};
    else this.session.delete(key);
  }

  /** Sign-ins started during this request: `state` → the client's transaction. */
  startedSignIns(): [string, unknown][] {
    return Object.entries(this.#signIns).filter(([state]) => !this.#initialStates.has(state));
  }
}
