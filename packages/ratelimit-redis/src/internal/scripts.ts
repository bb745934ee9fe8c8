/**
 * The Lua scripts that run the shared limiter atomically on the Redis server, and the keys they use.
 *
 * Per limiter key (`prefix + sdkAppId:command`) there are two Redis keys, both with TTLs:
 *
 * - the **log** (a list, the key itself): the slots reserved for the last `limit` calls, in order
 *   (sorted: slots never go backwards);
 * - the **state** (a small hash, `stateKeyOf(log)`): `seq`, the number of reservations so far (the
 *   k-th latest log entry is reservation `seq - k + 1`); `late:<seq>`, the moment a call's request was
 *   written when that was meaningfully later than its slot (only for calls still in the log); and the
 *   AIMD state after frequency-limit refusals: `allowed` (the effective limit), `changed` (when it
 *   last changed), `decreased` (the last halving) and `paused` (no slot before this).
 *
 * Every script takes `KEYS = [log, state]` and `ARGV[1]` = a time in ms to use instead of Redis's
 * `TIME` (tests only; `""` otherwise), `ARGV[2]` = limit, `ARGV[3]` = spacing in ms (window + margin).
 * Times are Redis's clock in integer ms; host clocks never enter the arithmetic.
 */

/** Every script starts here: effects replication (for `TIME` on Redis < 5 setups), keys, `now`. */
const prelude = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local log = KEYS[1]
local state = KEYS[2]
local limit = tonumber(ARGV[2])
local spacing = tonumber(ARGV[3])
local now
if ARGV[1] ~= '' then
  now = tonumber(ARGV[1])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function int(x) return string.format('%d', x) end
-- Extends a key's TTL to at least \`ttl\` ms; never shortens it.
local function extend(key, ttl)
  if ttl < 1 then ttl = 1 end
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, int(ttl)) end
end
`

/**
 * The AIMD state, as core's in-memory limiter keeps it: a refusal halves `allowed` (once per window),
 * and from one window after the halving every full window gives back a tenth of the limit.
 */
const aimdState = `
local fields = redis.call('HMGET', state, 'allowed', 'changed', 'decreased', 'paused', 'seq')
local allowed = math.min(limit, tonumber(fields[1]) or limit)
local changed = tonumber(fields[2]) or 0
local decreased = tonumber(fields[3])
local paused = tonumber(fields[4]) or 0
local seq = tonumber(fields[5]) or 0
local increase = math.max(1, math.floor(limit / 10 + 0.5))
-- The effective limit at \`t\`, after the windows without refusals since the last change.
local function recover(t)
  if allowed < limit and t >= changed + spacing then
    local windows = math.floor((t - changed) / spacing)
    allowed = math.min(limit, allowed + windows * increase)
    changed = changed + windows * spacing
  end
  return allowed
end
-- Until when the state can still change a slot (pause, halving once per window, recovery).
local function relevantUntil()
  local t = paused
  if decreased and decreased + spacing > t then t = decreased + spacing end
  if allowed < limit then
    local back = changed + math.ceil((limit - allowed) / increase) * spacing
    if back > t then t = back end
  end
  return t
end
local function save()
  redis.call('HSET', state, 'allowed', int(allowed), 'changed', int(changed), 'paused', int(paused), 'seq', int(seq))
  if decreased then redis.call('HSET', state, 'decreased', int(decreased)) end
end
`

/**
 * The reservation script. `ARGV[4]`: burst; `ARGV[5]`: the last reservation number the caller has seen,
 * or `""`. Answers `{wait, now, seq, limit, paused, ...recent}`: how long to wait for the slot, Redis's
 * time, the reservation's number, the effective limit, the pause in force, and the slots of the
 * reservations after the one the caller has seen that the log still holds, oldest first (this one last).
 *
 * The slot is the latest of: now; the pause; the start of the call `limit` calls back (its slot, or
 * its write if that was later) plus the spacing (the sliding window); for every `burst ≤ j ≤ limit`,
 * the j-th latest slot plus `(j + 1 - burst) × interval` with `interval = spacing / limit` (pacing:
 * any m consecutive slots span at least `(m - burst) × interval`, as GCRA); and the latest slot (slots
 * never go backwards, even if Redis's clock does). Rounded up to the ms. `limit` here is the
 * effective limit (lower after refusals, recovering), and `burst` at most that; the log keeps the
 * configured `limit` entries. As in core's limiter, late writes push the window, pacing follows the
 * slots. The script appends the slot, trims the log (and the late write that leaves it), and extends
 * both keys' TTLs to when they can no longer delay anyone.
 */
export const reserve = `${prelude}${aimdState}
local burst = tonumber(ARGV[4])
local current = recover(now)
if burst > current then burst = current end
local interval = spacing / current
local slots = redis.call('LRANGE', log, -limit, -1)
local n = #slots
local slot = now
if paused > slot then slot = paused end
if n >= current then
  local start = tonumber(slots[n - current + 1])
  local late = tonumber(redis.call('HGET', state, 'late:' .. int(seq - current + 1)))
  if late and late > start then start = late end
  if start + spacing > slot then slot = start + spacing end
end
for j = burst, math.min(n, current) do
  local at = tonumber(slots[n - j + 1]) + (j + 1 - burst) * interval
  if at > slot then slot = at end
end
if n > 0 then
  local last = tonumber(slots[n])
  if last > slot then slot = last end
end
slot = math.ceil(slot)
redis.call('RPUSH', log, int(slot))
if n >= limit then redis.call('LTRIM', log, -limit, -1) end
seq = seq + 1
redis.call('HDEL', state, 'late:' .. int(seq - limit))
save()
extend(log, slot - now + spacing)
extend(state, math.max(slot, relevantUntil()) - now + spacing)
local reply = { slot - now, now, seq, current, paused }
local seen = tonumber(ARGV[5])
if seen then
  local count = math.min(seq - seen, n + 1, limit)
  if count >= 1 then
    -- The log's last count entries: the slots read above, then this one (no second LRANGE).
    for i = n - count + 2, n do reply[#reply + 1] = tonumber(slots[i]) end
    reply[#reply + 1] = slot
  end
end
return reply
`

/**
 * The refusal script. `ARGV[4]`: how long ago (ms) the server refused the call. Pauses the key until
 * a full spacing after the refusal and halves the effective limit (at least 1), once per window however
 * many refusals come in it; recovery starts one window after the halving. Answers `{paused, limit, now}`.
 */
export const refused = `${prelude}${aimdState}
local at = now - tonumber(ARGV[4])
if at + spacing > paused then paused = at + spacing end
if not decreased or at >= decreased + spacing then
  recover(at)
  allowed = math.max(1, math.floor(allowed / 2))
  decreased = at
  changed = at + spacing
end
save()
extend(state, relevantUntil() - now + spacing)
return { paused, allowed, now }
`

/**
 * The late-write script. `ARGV[4]`: the reservation's `seq`; `ARGV[5]`: its slot; `ARGV[6]`: when its
 * request was written (Redis's clock, an upper bound). Records the write as `late:<seq>` if it is
 * later than the slot and the reservation is still in the log (a log that expired and started over
 * holds other slots), and extends the TTLs to match. Answers 1 if it recorded it, else 0.
 */
export const started = `${prelude}
local last = tonumber(redis.call('HGET', state, 'seq'))
if not last then return 0 end
local seq = tonumber(ARGV[4])
local back = last - seq
if back < 0 or back >= redis.call('LLEN', log) then return 0 end
local slot = tonumber(ARGV[5])
local at = tonumber(ARGV[6])
if tonumber(redis.call('LINDEX', log, -1 - back)) ~= slot or at <= slot then return 0 end
redis.call('HSET', state, 'late:' .. int(seq), int(at))
extend(log, at - now + spacing)
extend(state, at - now + spacing)
return 1
`

/** The hash tag Redis Cluster hashes `key` by: the text between the first `{` and the next `}`, if not empty. */
const hashTag = (key: string): string | undefined => {
  const open = key.indexOf("{")
  if (open < 0) return undefined
  const close = key.indexOf("}", open + 1)
  return close > open + 1 ? key.slice(open + 1, close) : undefined
}

/**
 * The state key of a log key, in the same Redis Cluster slot: `{log}:state`, so that the log's whole
 * name is the hash tag, or `log:state` when the log's name has a hash tag already (from the prefix).
 * (A prefix with a `}` but no hash tag cannot be kept in one slot this way; it gets `log:state`.)
 */
export const stateKeyOf = (log: string): string =>
  hashTag(log) !== undefined || log.includes("}") ? `${log}:state` : `{${log}}:state`
