// The Lua scripts of the session store. Each declares every key it touches in KEYS and touches
// one key only, so each runs on one slot of a Redis Cluster as it does on a single node or a
// Sentinel-managed master. What spans two keys (a session and its `sid` index, which live on
// different slots) is done as separate, idempotent steps in an order that is safe when one of
// them fails (see redis-session-store.ts).
import { script } from './runner.js';

/**
 * Writes a session. KEYS[1] the session hash; ARGV: mode (`new` | `cas`), expected fingerprint,
 * sealed value, new fingerprint, expiry (epoch seconds), `sid` index key (or '').
 * Returns `{0}` when a `cas` finds the session gone (deleted meanwhile: not brought back),
 * `{1, value, fingerprint}` on a conflict, `{2, kept, stale}` when written: `kept` is the `sid`
 * index key the session now belongs to ('' for none; a write without a `sid` keeps the one it
 * had, as an ID token from a refresh may omit it), `stale` the index key it left ('' for none).
 * The caller adds the session to `kept` and removes it from `stale`, each on its own slot.
 */
export const WRITE_SESSION = script(`
local key = KEYS[1]
local mode, expected, value, fp = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local exat, sidKey = tonumber(ARGV[5]), ARGV[6]
if mode == 'cas' then
  local current = redis.call('HGET', key, 'fp')
  if not current then return {0} end
  if current ~= expected then return {1, redis.call('HGET', key, 'v'), current} end
end
local oldSid = redis.call('HGET', key, 'sid') or ''
if sidKey == '' then sidKey = oldSid end
local stale = ''
if oldSid ~= sidKey then stale = oldSid end
redis.call('HSET', key, 'v', value, 'fp', fp, 'sid', sidKey)
redis.call('EXPIREAT', key, exat)
return {2, sidKey, stale}
`);

/**
 * Adds a session id to a `sid` index set and makes the set live at least as long as the
 * session. KEYS[1] the set; ARGV: session id, the session's expiry (epoch seconds). Idempotent.
 */
export const INDEX_SESSION = script(`
local key, id, exat = KEYS[1], ARGV[1], tonumber(ARGV[2])
redis.call('SADD', key, id)
local now = tonumber(redis.call('TIME')[1])
if redis.call('TTL', key) < exat - now then redis.call('EXPIREAT', key, exat) end
return 1
`);

/**
 * Deletes a session. KEYS[1] the session hash. Returns the `sid` index key it belonged to
 * ('' for none), for the caller to remove it from there.
 */
export const DELETE_SESSION = script(`
local sidKey = redis.call('HGET', KEYS[1], 'sid') or ''
redis.call('DEL', KEYS[1])
return sidKey
`);

/**
 * Releases a lock only when it still holds this caller's token. KEYS[1] the lock; ARGV[1] the
 * token. Returns 1 when released.
 */
export const RELEASE_LOCK = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);
