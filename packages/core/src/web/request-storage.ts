import type { RefreshGate } from '../refresh/session-refresh.js';
import type { SessionStorage } from '../session/session.js';
import type { Storage, StorageKey } from '../storage.js';

/**
 * The `Storage` a request's {@link LogtoClient} sees: tokens live in the session (cookie or
 * store), which is loaded — decrypted or fetched — only on first use, so a request that never
 * asks about the user costs nothing. Sign-ins in flight (`signInSession`) live apart, one
 * short-lived cookie per `state`, so two tabs signing in at once never overwrite each other.
 */
export class RequestStorage implements Storage, RefreshGate {
  #signIns: Record<string, unknown>;
  readonly #initialStates: ReadonlySet<string>;
  readonly #defers: boolean | (() => boolean) | undefined;

  constructor(
    private readonly session: () => Promise<SessionStorage>,
    signIns: Record<string, unknown> = {},
    defers?: boolean | (() => boolean),
  ) {
    this.#signIns = { ...signIns };
    this.#initialStates = new Set(Object.keys(signIns));
    this.#defers = defers;
  }

  /** Refreshes throw `RefreshDeferredError` instead of spending the refresh token. */
  get defersRefresh(): boolean {
    const defers = this.#defers;
    return typeof defers === 'function' ? defers() : defers === true;
  }

  async get(key: StorageKey): Promise<string | null> {
    if (key === 'signInSession') return JSON.stringify(this.#signIns);
    return (await this.session()).get(key);
  }

  async set(key: StorageKey, value: string): Promise<void> {
    if (key !== 'signInSession') {
      (await this.session()).set(key, value);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = {}; // the client only writes JSON; anything else means "no sign-in in flight"
    }
    this.#signIns =
      parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
  }

  async delete(key: StorageKey): Promise<void> {
    if (key === 'signInSession') this.#signIns = {};
    else (await this.session()).delete(key);
  }

  /** Sign-ins started during this request: `state` → the client's transaction. */
  startedSignIns(): [string, unknown][] {
    return Object.entries(this.#signIns).filter(([state]) => !this.#initialStates.has(state));
  }
}
