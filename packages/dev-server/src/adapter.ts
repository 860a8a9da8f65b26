import type { Adapter, AdapterPayload } from 'oidc-provider';

/** How a consumed refresh token is treated when it is presented again. */
export type ReusePolicy = 'logto' | 'strict';

/** Logto's `refreshTokenReuseInterval`: a refresh token consumed less than this ago still works. */
const reuseIntervalSeconds = 3;

const grantable = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

interface Entry {
  payload: AdapterPayload;
  expiresAt: number; // epoch ms; Infinity when the model has no expiry
}

/**
 * One in-memory store for every oidc-provider model of one dev server (no process-wide state,
 * so several servers can run side by side in tests). Expired entries are dropped on read and by
 * a periodic sweep. With the `logto` policy, a refresh token consumed less than 3 s ago is
 * returned as not consumed, which is how Logto lets concurrent refreshes through.
 */
export class MemoryStore {
  readonly #entries = new Map<string, Entry>();
  readonly #grants = new Map<string, Set<string>>();
  readonly #sessionUids = new Map<string, string>();
  readonly #sweep: NodeJS.Timeout;

  constructor(readonly reusePolicy: ReusePolicy) {
    this.#sweep = setInterval(() => this.#removeExpired(), 30_000);
    this.#sweep.unref();
  }

  /** The factory oidc-provider's `adapter` option takes. */
  readonly adapter = (model: string): Adapter => new ModelAdapter(this, model);

  close(): void {
    clearInterval(this.#sweep);
    this.#entries.clear();
    this.#grants.clear();
    this.#sessionUids.clear();
  }

  get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(model: string, key: string, payload: AdapterPayload, expiresIn?: number): void {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
    this.#entries.set(key, { payload, expiresAt });
    if (model === 'Session' && payload.uid) this.#sessionUids.set(payload.uid, key);
    if (grantable.has(model) && payload.grantId) {
      const members = this.#grants.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.#grants.set(payload.grantId, members);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    if (entry?.payload.uid && this.#sessionUids.get(entry.payload.uid) === key) {
      this.#sessionUids.delete(entry.payload.uid);
    }
    if (entry?.payload.grantId) this.#grants.get(entry.payload.grantId)?.delete(key);
  }

  sessionKeyByUid(uid: string): string | undefined {
    return this.#sessionUids.get(uid);
  }

  revokeGrant(grantId: string): void {
    for (const key of this.#grants.get(grantId) ?? []) this.#entries.delete(key);
    this.#grants.delete(grantId);
  }

  #removeExpired(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.delete(key);
  }
}

class ModelAdapter implements Adapter {
  constructor(
    private readonly store: MemoryStore,
    private readonly model: string,
  ) {}

  #key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    this.store.set(this.model, this.#key(id), structuredClone(payload), expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const payload = this.store.get(this.#key(id));
    if (!payload) return undefined;
    const copy = structuredClone(payload);
    if (
      this.model === 'RefreshToken' &&
      this.store.reusePolicy === 'logto' &&
      typeof copy.consumed === 'number' &&
      Date.now() / 1000 - copy.consumed < reuseIntervalSeconds
    ) {
      delete copy.consumed;
    }
    return copy;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const key = this.store.sessionKeyByUid(uid);
    return key ? this.find(key.slice(this.model.length + 1)) : undefined;
  }

  async findByUserCode(): Promise<AdapterPayload | undefined> {
    return undefined; // the device flow is not enabled
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(this.#key(id));
    if (payload && payload.consumed === undefined) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeGrant(grantId);
  }
}
