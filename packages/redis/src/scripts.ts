/**
 * The Lua scripts behind each store operation, and their SHA-1 digests for
 * `EVALSHA`. Each script touches exactly one key (`KEYS[1]`), so every
 * operation is one atomic round trip, also on a Redis Cluster. Times are
 * whole milliseconds since the epoch, passed in by the caller (the store's
 * clock, not the server's); every key gets an expiry (`PEXPIRE` / `PX`) and
 * keeps its deadline in the value too, so a late expiry never extends a
 * window or revives a nonce.
 *
 * @module
 */

/** A script and the hex SHA-1 of its text, as `SCRIPT LOAD` would answer. */
export interface Script {
  /** The Lua source, sent with `EVAL` when the server does not have it. */
  readonly source: string;
  /** Its SHA-1, sent with `EVALSHA`. */
  readonly sha1: string;
}

/**
 * Throttle `hit`: counts one attempt in the fixed window of KEYS[1], opening
 * one of ARGV[1] ms at ARGV[2] (now) when none is open. Answers
 * `{count, resetAt}`.
 */
const HIT = `local now = tonumber(ARGV[2])
local state = redis.call("HMGET", KEYS[1], "count", "resetAt")
local count = tonumber(state[1])
local resetAt = tonumber(state[2])
if count == nil or resetAt == nil or resetAt <= now then
  count = 1
  resetAt = now + tonumber(ARGV[1])
else
  count = count + 1
end
redis.call("HSET", KEYS[1], "count", count, "resetAt", resetAt)
redis.call("PEXPIRE", KEYS[1], resetAt - now)
return {count, resetAt}
`;

/**
 * Throttle `release`: takes back one attempt of the window of KEYS[1] that
 * closes at ARGV[1] (the `resetAt` that `hit` answered), if that window is
 * still the one held; never below 0, and a later window is never touched.
 * Answers the new count (0 when there was nothing to take back).
 */
const RELEASE = `local state = redis.call("HMGET", KEYS[1], "count", "resetAt")
local count = tonumber(state[1])
local resetAt = tonumber(state[2])
if count == nil or resetAt == nil or resetAt ~= tonumber(ARGV[1]) or count <= 0 then
  return 0
end
redis.call("HSET", KEYS[1], "count", count - 1)
return count - 1
`;

/**
 * Nonce counts: records ARGV[1] (nc) for the (nonce, user name) of KEYS[1],
 * whose nonce dies at ARGV[2] (expiresAt), at ARGV[3] (now). Keeps the
 * highest count and a 32-bit map of the 32 counts below it (bit i: highest
 * - 1 - i was seen). Answers 0 (fresh), 1 (replayed) or 2 (stale: the nonce
 * is dead).
 */
const NONCE_COUNT = `local nc = tonumber(ARGV[1])
local expiresAt = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if expiresAt <= now then
  return 2
end
local state = redis.call("HMGET", KEYS[1], "highest", "seen", "expiresAt")
local highest = tonumber(state[1])
local seen = tonumber(state[2])
local deadline = tonumber(state[3])
if highest == nil or seen == nil or deadline == nil then
  redis.call("HSET", KEYS[1], "highest", nc, "seen", 0, "expiresAt", expiresAt)
  redis.call("PEXPIRE", KEYS[1], expiresAt - now)
  return 0
end
if deadline <= now then
  return 2
end
if nc > highest then
  local shift = nc - highest
  if shift > 32 then
    seen = 0
  elseif shift == 32 then
    seen = bit.lshift(1, 31)
  else
    seen = bit.bor(bit.lshift(seen, shift), bit.lshift(1, shift - 1))
  end
  redis.call("HSET", KEYS[1], "highest", nc, "seen", seen)
  return 0
end
local back = highest - nc
if back == 0 or back > 32 then
  return 1
end
local flag = bit.lshift(1, back - 1)
if bit.band(seen, flag) ~= 0 then
  return 1
end
redis.call("HSET", KEYS[1], "seen", bit.bor(seen, flag))
return 0
`;

/**
 * One-time values: adds KEYS[1], alive until ARGV[1] (expiresAt), at ARGV[2]
 * (now), unless it is there and alive. Answers 1 when it was added (new), 0
 * otherwise; an id already dead (expiresAt ≤ now) is never new.
 */
const USE = `local expiresAt = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
if expiresAt <= now then
  return 0
end
local held = tonumber(redis.call("GET", KEYS[1]))
if held ~= nil and held > now then
  return 0
end
redis.call("SET", KEYS[1], expiresAt, "PX", expiresAt - now)
return 1
`;

/** The scripts by operation. A test checks each digest against its source. */
export const SCRIPTS: {
  readonly hit: Script;
  readonly release: Script;
  readonly nonceCount: Script;
  readonly use: Script;
} = {
  hit: { source: HIT, sha1: "5a5e6a3291f12bf37d0f5d4997f93a57b7416899" },
  release: { source: RELEASE, sha1: "664ab8b02e796a6f379694b7080fe0e16b278da1" },
  nonceCount: { source: NONCE_COUNT, sha1: "9fd8fe5757d5f4b02e2bae525c3fed4137107920" },
  use: { source: USE, sha1: "aaffcf75252d2962a856c23e698e75146a1f83cf" },
};
