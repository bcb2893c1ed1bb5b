-- Sliding-window rate limit decision: one key, one atomic call, O(1) per call (amortised).
--
-- The window is cut into fixed sub-buckets ("step" ms each; window / step of them). The key is a hash
-- {bucket index -> count} plus three bookkeeping fields: 's' the sum of the buckets still held, 't' the oldest
-- bucket held (the tail), 'h' the newest. A request is admitted when the buckets from (current - n) to current
-- hold fewer than `limit`. Those buckets cover at least the last `window` ms, so no window of that length ever
-- holds more than `limit` admissions (the guard is conservative by less than one step); capacity comes back
-- bucket by bucket as the window slides, never all at once.
--
-- Cost: buckets leave the window at the tail, so each call reads only the tail buckets that left since the last
-- call (usually none or one) instead of the whole hash; the key holds at most window/step + 4 fields.
--
-- Time is Redis' own clock (TIME), so replicas with skewed clocks still agree.
--
-- KEYS[1] hash key (hash-tagged by the caller, so it maps to one cluster slot)
-- ARGV[1] limit, ARGV[2] window in ms, ARGV[3] step in ms, ARGV[4] '0' to only look (GET /api/v1/me: the
--         state without spending a request), anything else or absent to decide and count
-- returns {allowed 0|1, remaining, reset epoch ms (oldest counted request leaves the window),
--          retry-after ms (0 when allowed), now epoch ms}
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local step = tonumber(ARGV[3])
local consume = ARGV[4] ~= '0'
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local current = math.floor(now / step)
local n = math.floor(window / step)
local oldest = current - n

local state = redis.call('HMGET', key, 's', 't', 'h')
local used = tonumber(state[1])
local tail = tonumber(state[2])
local head = tonumber(state[3])
local changed = false

if used == nil then
  -- new key, or one written by the earlier whole-hash script: rebuild the bookkeeping once
  used, tail, head = 0, nil, nil
  changed = true
  local flat = redis.call('HGETALL', key)
  for i = 1, #flat, 2 do
    local bucket = tonumber(flat[i])
    if bucket ~= nil then
      if bucket < oldest then
        redis.call('HDEL', key, flat[i])
      else
        used = used + tonumber(flat[i + 1])
        if tail == nil or bucket < tail then tail = bucket end
        if head == nil or bucket > head then head = bucket end
      end
    end
  end
end

if head ~= nil and head < oldest then
  -- idle for longer than the window: everything has left it
  redis.call('DEL', key)
  used, tail, head = 0, nil, nil
end

-- move the tail past the buckets that left the window and past indices never written
if tail ~= nil then
  while tail <= head do
    local count = tonumber(redis.call('HGET', key, tail))
    if count ~= nil and tail >= oldest then
      break
    end
    if count ~= nil then
      used = used - count
      redis.call('HDEL', key, tail)
    end
    tail = tail + 1
    changed = true
  end
  if tail > head then
    tail, head = nil, nil
  end
end

local allowed = 0
if used < limit then
  allowed = 1
  if consume then
    used = used + 1
    redis.call('HINCRBY', key, current, 1)
    redis.call('PEXPIRE', key, window + step)
    if tail == nil then tail = current end
    head = current
    changed = true
  end
end

if changed and tail ~= nil then
  redis.call('HSET', key, 's', used, 't', tail, 'h', head)
elseif changed then
  redis.call('DEL', key)
end

local retry = 0
if allowed == 0 then
  -- capacity comes back when enough of the oldest buckets have left; usually the tail alone frees a place
  local freed = 0
  local bucket = tail
  while bucket ~= nil and bucket <= head do
    freed = freed + (tonumber(redis.call('HGET', key, bucket)) or 0)
    if used - freed < limit then
      retry = (bucket + n + 1) * step - now
      break
    end
    bucket = bucket + 1
  end
  if retry <= 0 then
    retry = window
  end
end
local reset = now + window
if tail ~= nil then
  reset = (tail + n + 1) * step
end
local remaining = limit - used
if remaining < 0 then
  remaining = 0
end
return { allowed, remaining, reset, retry, now }
