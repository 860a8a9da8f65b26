// @logto-kit/core/store — what a session store, refresh lock or replay cache implementation
// needs (what @logto-kit/redis uses): the session's shape, sealing with the session secret,
// merging concurrent writes, and the manager to test a store with.
export { SessionStoreUnavailableError } from './errors.js';
export { isRefreshLock, type RefreshLock, type ReleaseLock } from './refresh/index.js';
export {
  getSessionKeys,
  normalizeSecrets,
  type SessionKeys,
  type SessionSecret,
} from './session/keys.js';
export { epochSeconds } from './session/seal.js';
export { createSession, type Session } from './session/session.js';
export { createSessionId } from './session/session-id.js';
export {
  type LoadedSession,
  SessionManager,
  type SessionManagerOptions,
} from './session/session-manager.js';
export {
  MemorySessionStore,
  type SessionStore,
  type SessionStoreSetOptions,
} from './session/store.js';
export {
  mergeSessions,
  sealStoredSession,
  sessionFingerprint,
  unsealStoredSession,
} from './session/stored-session.js';
export type { ReplayCache } from './web/replay-cache.js';
