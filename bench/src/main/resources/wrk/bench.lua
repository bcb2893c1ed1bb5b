-- wrk script for the open-throttle runs: the same three mixes as dev.scalableapi.bench.load.Workloads,
-- configured through the environment; prints one machine-readable line at the end.
local key = os.getenv("BENCH_KEY") or ""
local mix = os.getenv("BENCH_MIX") or "cached-get"
local hot = tonumber(os.getenv("BENCH_HOT_IDS") or "100")
local total = tonumber(os.getenv("BENCH_TOTAL_IDS") or "1000")
local owned = tonumber(os.getenv("BENCH_OWNED_IDS") or "100")
local types = {"document", "dataset", "image", "model"}
local read_headers = {["X-API-Key"] = key}
local write_headers = {["X-API-Key"] = key, ["Content-Type"] = "application/json"}
local counter = 0

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  counter = counter + 1
  if mix == "cached-get" then
    return wrk.format("GET", "/api/v1/resources/" .. (1 + counter % hot), read_headers)
  elseif mix == "uncached-mix" then
    if math.random() < 0.5 then
      return wrk.format("GET", "/api/v1/resources/" .. math.random(1, total), read_headers)
    end
    return wrk.format("GET", "/api/v1/resources?type=" .. types[math.random(#types)] .. "&page="
      .. math.random(1, 50) .. "&limit=20", read_headers)
  end
  if counter % 2 == 0 then
    return wrk.format("POST", "/api/v1/resources", write_headers,
      '{"name":"wrk write ' .. counter .. '","type":"document","description":"bench"}')
  end
  return wrk.format("PATCH", "/api/v1/resources/" .. math.random(1, owned), write_headers,
    '{"description":"patched ' .. counter .. '"}')
end

function done(summary, latency, requests)
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,'
      .. '"statusErrors":%d,"timeouts":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"p999Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max))
end
