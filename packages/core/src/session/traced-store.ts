/**
 * A configured {@link SessionStore} seen through OpenTelemetry: `logto.session_store.get`,
 * `.set`, `.delete` and `.delete_by_sid` spans around the store's own calls, when telemetry is
 * on. The spans carry no session id (it is as good as the cookie) and no session.
 */
import { telemetryEnabled, traced } from '../lib/telemetry.js';
import type { SessionStore } from './store.js';

/**
 * The store the session manager calls: the same methods, each a direct call while telemetry is
 * off (one property check, nothing allocated), traced while it is on.
 */
export function tracedStore(store: SessionStore): SessionStore {
  const deleteBySid = store.deleteBySid;
  return {
    get: (id) =>
      telemetryEnabled()
        ? traced('logto.session_store.get', undefined, async () => store.get(id))
        : store.get(id),
    set: (id, session, options) =>
      telemetryEnabled()
        ? traced('logto.session_store.set', undefined, async () => store.set(id, session, options))
        : store.set(id, session, options),
    delete: (id) =>
      telemetryEnabled()
        ? traced('logto.session_store.delete', undefined, async () => store.delete(id))
        : store.delete(id),
    ...(deleteBySid && {
      deleteBySid: (sid: string) =>
        telemetryEnabled()
          ? traced('logto.session_store.delete_by_sid', undefined, async () =>
              deleteBySid.call(store, sid),
            )
          : deleteBySid.call(store, sid),
    }),
  };
}
