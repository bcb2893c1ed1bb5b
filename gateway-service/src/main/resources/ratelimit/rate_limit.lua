-- Rate-limit decision over all of a caller's policies: one atomic call, amortised O(1) per policy.
--
-- A request is admitted only if every policy admits it, and only then counted in every policy: a refusal by
-- one policy spends nothing in the others.
--
-- Sliding windows (second, minute, hour): the window is cut into fixed sub-buckets ("step" ms each; window / step
-- of them). The key is a hash {bucket index -> count} plus three bookkeeping fields: 's' the sum of the buckets
-- still held, 't' the oldest bucket held (the tail), 'h' the newest. A policy admits when the buckets from
-- (current - n) to current hold fewer than its limit. Those buckets cover at least the last `window` ms, so no
-- window of that length ever holds more than `limit` admissions (the guard is conservative by less than one step);
-- capacity comes back bucket by bucket as the window slides, never all at once. Buckets leave the window at the
-- tail, so a call reads buckets only when some have left the window since the last call, never the
-- whole hash; the key holds at most window/step + 4 fields.
--
-- Calendar periods (UTC day, UTC month): the key is a hash {'p' period id, 'c' count}; a count of another period
-- is 0, and the key expires when its period ends.
--
-- Time is Redis' own clock (TIME), so replicas with skewed clocks still agree; tests may pass their own.
--
-- KEYS[i]   policy i's key (all hash-tagged on the subject by the caller, so they map to one cluster slot)
-- ARGV[1]   '0' to only look (GET /api/v1/me: the state without spending a request), else decide and count
-- ARGV[2]   '' for Redis' clock, else the time in epoch ms (tests only)
-- ARGV[3 + 4(i - 1)] .. policy i: kind ('0' sliding, '1' UTC day, '2' UTC month), limit, window ms, step ms
-- returns {allowed 0|1, now epoch ms, then per policy: remaining, reset epoch ms (sliding: when the oldest counted
--          request leaves the window; calendar: the period's end), retry-after ms (0 unless this policy refuses)}
local consume = ARGV[1] ~= '0'
local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local DAY_MS = 86400000

-- days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's civil calendar algorithms)
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m > 2) and (m - 3) or (m + 9)
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(days)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = (mp < 10) and (mp + 3) or (mp - 9)
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m
end

local count = #KEYS
local allowed = 1
-- per policy: kind, limit, window, step, used, and (sliding) tail, head, current, oldest, n, changed;
-- (calendar) period, period end, period stored
local kind, limit, window, step, used = {}, {}, {}, {}, {}
local tail, head, current, oldest, n, changed = {}, {}, {}, {}, {}, {}
local period, period_end, stored = {}, {}, {}

for i = 1, count do
  local key = KEYS[i]
  local a = 3 + (i - 1) * 4
  kind[i] = ARGV[a]
  limit[i] = tonumber(ARGV[a + 1])
  window[i] = tonumber(ARGV[a + 2])
  step[i] = tonumber(ARGV[a + 3])
  if kind[i] == '0' then
    current[i] = math.floor(now / step[i])
    n[i] = math.floor(window[i] / step[i])
    oldest[i] = current[i] - n[i]
    local state = redis.call('HMGET', key, 's', 't', 'h')
    local u, tl, hd = tonumber(state[1]), tonumber(state[2]), tonumber(state[3])
    local ch = false
    if u == nil then
      u, tl, hd = 0, nil, nil
    end
    if hd ~= nil and hd < oldest[i] then
      -- idle for longer than the window: everything has left it
      redis.call('DEL', key)
      u, tl, hd = 0, nil, nil
      ch = true
    end
    -- move the tail past the buckets that left the window and past indices never written; a tail inside the
    -- window stays (the tail is always a written bucket), so a call reads no bucket until one leaves
    if tl ~= nil and tl < oldest[i] then
      while tl <= hd do
        local c = tonumber(redis.call('HGET', key, tl))
        if c ~= nil and tl >= oldest[i] then
          break
        end
        if c ~= nil then
          u = u - c
          redis.call('HDEL', key, tl)
        end
        tl = tl + 1
        ch = true
      end
      if tl > hd then
        tl, hd = nil, nil
      end
    end
    used[i], tail[i], head[i], changed[i] = u, tl, hd, ch
  else
    local day = math.floor(now / DAY_MS)
    if kind[i] == '1' then
      period[i] = day
      period_end[i] = (day + 1) * DAY_MS
    else
      local y, m = civil_from_days(day)
      period[i] = y * 12 + m
      if m == 12 then
        period_end[i] = days_from_civil(y + 1, 1, 1) * DAY_MS
      else
        period_end[i] = days_from_civil(y, m + 1, 1) * DAY_MS
      end
    end
    local state = redis.call('HMGET', key, 'p', 'c')
    stored[i] = tonumber(state[1]) == period[i]
    used[i] = stored[i] and (tonumber(state[2]) or 0) or 0
  end
  if used[i] >= limit[i] then
    allowed = 0
  end
end

local reply = { allowed, now }
for i = 1, count do
  local key = KEYS[i]
  if allowed == 1 and consume then
    used[i] = used[i] + 1
    if kind[i] == '0' then
      redis.call('HINCRBY', key, current[i], 1)
      -- The first write into a bucket sets a lifetime that outlasts the window of every later write into it (by
      -- Redis' clock); a test clock may stand still in one bucket, so then every write renews it.
      if head[i] ~= current[i] or ARGV[2] ~= '' then
        redis.call('PEXPIRE', key, window[i] + step[i])
      end
      if tail[i] == nil then tail[i] = current[i] end
      head[i] = current[i]
      changed[i] = true
    else
      if stored[i] then
        redis.call('HINCRBY', key, 'c', 1)
      else
        redis.call('HSET', key, 'p', period[i], 'c', 1)
      end
      -- relative to the script's clock, so a test clock ahead of the server's keeps its counters too
      redis.call('PEXPIRE', key, period_end[i] - now)
    end
  end
  local retry = 0
  local reset
  if kind[i] == '0' then
    if changed[i] and tail[i] ~= nil then
      redis.call('HSET', key, 's', used[i], 't', tail[i], 'h', head[i])
    elseif changed[i] then
      redis.call('DEL', key)
    end
    if used[i] >= limit[i] and not (allowed == 1 and consume) then
      -- capacity comes back when enough of the oldest buckets have left; usually the tail alone frees a place
      local freed = 0
      local bucket = tail[i]
      while bucket ~= nil and bucket <= head[i] do
        freed = freed + (tonumber(redis.call('HGET', key, bucket)) or 0)
        if used[i] - freed < limit[i] then
          retry = (bucket + n[i] + 1) * step[i] - now
          break
        end
        bucket = bucket + 1
      end
      if retry <= 0 then
        retry = window[i]
      end
    end
    reset = now + window[i]
    if tail[i] ~= nil then
      reset = (tail[i] + n[i] + 1) * step[i]
    end
  else
    reset = period_end[i]
    if used[i] >= limit[i] and not (allowed == 1 and consume) then
      retry = period_end[i] - now
    end
  end
  local remaining = limit[i] - used[i]
  if remaining < 0 then
    remaining = 0
  end
  reply[#reply + 1] = remaining
  reply[#reply + 1] = reset
  reply[#reply + 1] = retry
end
return reply
