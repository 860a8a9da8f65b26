// The Lua scripts of the session store. Each runs atomically in Redis: a session, its `sid`
// index and their expiries never disagree, and a compare-and-set cannot interleave.
import { script } from './runner.js';

/**
 * Writes a session. KEYS[1] the session hash; ARGV: mode (`new` | `cas`), expected fingerprint,
 * sealed value, new fingerprint, expiry (epoch seconds), `sid` index key (or ''), session id.
 * Returns `{0}` when a `cas` finds the session gone (deleted meanwhile: not brought back),
 * `{1, value, fingerprint}` on a conflict, `{2}` when written. A session without a `sid` keeps
 * the one it had (an ID token from a refresh may omit it). The `sid` index set lives as long as
 * its longest-lived session.
 */
export const WRITE_SESSION = script(`
local key = KEYS[1]
local mode, expected, value, fp = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local exat, sidKey, id = tonumber(ARGV[5]), ARGV[6], ARGV[7]
if mode == 'cas' then
  local current = redis.call('HGET', key, 'fp')
  if not current then return {0} end
  if current ~= expected then return {1, redis.call('HGET', key, 'v'), current} end
end
local oldSid = redis.call('HGET', key, 'sid')
if sidKey == '' and oldSid then sidKey = oldSid end
if oldSid and oldSid ~= '' and oldSid ~= sidKey then redis.call('SREM', oldSid, id) end
redis.call('HSET', key, 'v', value, 'fp', fp, 'sid', sidKey)
redis.call('EXPIREAT', key, exat)
if sidKey ~= '' then
  redis.call('SADD', sidKey, id)
  local now = tonumber(redis.call('TIME')[1])
  if redis.call('TTL', sidKey) < exat - now then redis.call('EXPIREAT', sidKey, exat) end
end
return {2}
`);

/** Deletes a session and its `sid` index entry. KEYS[1] the session hash; ARGV[1] its id. */
export const DELETE_SESSION = script(`
local sidKey = redis.call('HGET', KEYS[1], 'sid')
if sidKey and sidKey ~= '' then redis.call('SREM', sidKey, ARGV[1]) end
return redis.call('DEL', KEYS[1])
`);

/**
 * Deletes every session of a provider session. KEYS[1] the `sid` index set; ARGV[1] the key
 * prefix of sessions. Returns how many sessions existed and were deleted.
 */
export const DELETE_BY_SID = script(`
local count = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  count = count + redis.call('DEL', ARGV[1] .. id)
end
redis.call('DEL', KEYS[1])
return count
`);

/**
 * Releases a lock only when it still holds this caller's token. KEYS[1] the lock; ARGV[1] the
 * token. Returns 1 when released.
 */
export const RELEASE_LOCK = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);
