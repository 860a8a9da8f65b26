// The Lua scripts of the session store. Each declares every key it touches in KEYS and touches
// one key only, so each runs on one slot of a Redis Cluster as it does on a single node or a
// Sentinel-managed master. What spans two keys (a session and its `sid` index, which live on
// different slots) is done as separate, idempotent steps in an order that is safe when one of
// them fails (see redis-session-store.ts).
import { script } from './runner.js';

/**
 * Writes a session. KEYS[1] the session hash; ARGV: mode (`new` | `cas`), expected fingerprint,
 * sealed value, new fingerprint, expiry (epoch seconds), `sid` index key (or ''), and until when
 * the caller has just indexed the session under that key (epoch seconds, or 0).
 *
 * The hash records its index key (`sid`) and until when the index is known to hold it (`ix`).
 * A session is written only while its index is known to outlive it: otherwise the script writes
 * nothing and returns `{3, sidKey}`, and the caller indexes first, then writes again. So a
 * session is never stored unindexed (a crash between the steps leaves at worst an index entry
 * without its session), and a renewal or refresh of an indexed session (the same `sid`, indexed
 * until its latest possible expiry) never needs the index's slot.
 *
 * Returns `{0}` when a `cas` finds the session gone (deleted meanwhile: not brought back),
 * `{1, value, fingerprint}` on a conflict, `{3, sidKey}` when it must be indexed first,
 * `{2, kept, stale}` when written: `kept` is the index key the session now belongs to ('' for
 * none; a write without a `sid` keeps the one it had, as an ID token from a refresh may omit
 * it), `stale` the index key it left ('' for none), for the caller to remove it from there.
 */
export const WRITE_SESSION = script(`
local key = KEYS[1]
local mode, expected, value, fp = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local exat, sidKey, indexed = tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7])
if mode == 'cas' then
  local current = redis.call('HGET', key, 'fp')
  if not current then return {0} end
  if current ~= expected then return {1, redis.call('HGET', key, 'v'), current} end
end
local old = redis.call('HMGET', key, 'sid', 'ix')
local oldSid = old[1] or ''
if sidKey == '' then sidKey = oldSid end
local ix = 0
if sidKey ~= '' then
  if sidKey == oldSid then ix = tonumber(old[2] or '0') or 0 end
  if indexed > ix then ix = indexed end
  if ix < exat then return {3, sidKey} end
end
local stale = ''
if oldSid ~= sidKey then stale = oldSid end
redis.call('HSET', key, 'v', value, 'fp', fp, 'sid', sidKey, 'ix', ix)
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
