/**
 * Refresh: how an access token is renewed with the refresh token. Start reading here.
 *
 * | file                 | what                                                                |
 * | -------------------- | ------------------------------------------------------------------- |
 * | `session-refresh.ts` | the entry: refresh one session's token, retry once after a rotation |
 * |                      | by another request, store what came back                            |
 * | `coordinator.ts`     | in one process: one grant per refresh token at a time               |
 * |                      | (single-flight), and a short memory of results under the old token  |
 * | `shared-refresh.ts`  | across processes: the same over a {@link RefreshLock}, results      |
 * |                      | shared encrypted with a key derived from the refresh token          |
 * | `catch-up.ts`        | a session still carrying a token this process rotated gets the      |
 * |                      | newest tokens (on load and before every write)                      |
 * | `lock.ts`            | {@link RefreshLock}, the hook a shared store implements             |
 * | `grant.ts`           | one refresh-token grant and the checks of its answer                |
 *
 * `LogtoClient.getAccessToken` serves a fresh cached token (`tokens.ts`) and otherwise calls
 * `refreshSessionToken`, which goes through the coordinator, then (with `config.refreshLock`)
 * the shared refresh, and finally the grant. The caller's wait is bounded by the timeout; the
 * grant runs on a while longer so a late answer is kept. This index re-exports only the public
 * names.
 *
 * @module
 */
export { type RefreshResult, refreshParameters, refreshTokens } from './grant.js';
export { isRefreshLock, type RefreshLock, type ReleaseLock } from './lock.js';
