-- Sliding-window rate limit decision: one key, one atomic call.
--
-- The window is cut into fixed sub-buckets ("step" ms each; window / step of them). The key is a hash
-- {bucket index -> count} holding at most window/step + 1 fields, so memory per subject is O(1) whatever the
-- limit. A request is admitted when the buckets from (current - n) to current hold fewer than `limit`. Those
-- buckets cover at least the last `window` ms, so no window of that length ever holds more than `limit`
-- admissions (the guard is conservative by less than one step); capacity comes back bucket by bucket as
-- the window slides, never all at once.
--
-- Time is Redis' own clock (TIME), so replicas with skewed clocks still agree.
--
-- KEYS[1] hash key (hash-tagged by the caller, so it maps to one cluster slot)
-- ARGV[1] limit, ARGV[2] window in ms, ARGV[3] step in ms, ARGV[4] '0' to only look (GET /api/v1/me: the
--         state without spending a request), anything else or absent to decide and count
-- returns {allowed 0|1, remaining, reset epoch ms (oldest counted request leaves the window),
--          retry-after ms (0 when allowed), now epoch ms}
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local step = tonumber(ARGV[3])
local consume = ARGV[4] ~= '0'
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local current = math.floor(now / step)
local n = math.floor(window / step)
local oldest = current - n

local flat = redis.call('HGETALL', KEYS[1])
local used = 0
local live = {}
local stale = {}
for i = 1, #flat, 2 do
  local bucket = tonumber(flat[i])
  local count = tonumber(flat[i + 1])
  if bucket < oldest then
    stale[#stale + 1] = flat[i]
  else
    used = used + count
    live[#live + 1] = { bucket, count }
  end
end
if #stale > 0 then
  redis.call('HDEL', KEYS[1], unpack(stale))
end

local allowed = 0
if used < limit then
  allowed = 1
  if consume then
    used = used + 1
    redis.call('HINCRBY', KEYS[1], current, 1)
    redis.call('PEXPIRE', KEYS[1], window + step)
    live[#live + 1] = { current, 1 }
  end
end

table.sort(live, function(a, b) return a[1] < b[1] end)
local retry = 0
if allowed == 0 then
  local freed = 0
  for _, entry in ipairs(live) do
    freed = freed + entry[2]
    if used - freed < limit then
      retry = (entry[1] + n + 1) * step - now
      break
    end
  end
  if retry <= 0 then
    retry = window
  end
end
local reset = now + window
if #live > 0 then
  reset = (live[1][1] + n + 1) * step
end
local remaining = limit - used
if remaining < 0 then
  remaining = 0
end
return { allowed, remaining, reset, retry, now }
