-- wrk script for bench/api.ts, configured through the environment:
--   BENCH_METHOD, BENCH_PATH       the request
--   BENCH_AUTH                     the key in Authorization (if set)
--   BENCH_KEYS_FILE                keys, one a line: each request draws one at random
--   BENCH_KEY_IN                   "auth" (the caller's key) or "body" (POST /keys/verify's {"key": …})
-- Prints one JSON line at the end: requests, seconds, latency percentiles (µs), errors, non-2xx.
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local auth = os.getenv("BENCH_AUTH")
local key_in = os.getenv("BENCH_KEY_IN") or "auth"
local keys = {}
local file = os.getenv("BENCH_KEYS_FILE")
if file and file ~= "" then
  for line in io.lines(file) do keys[#keys + 1] = line end
end

function init(args)
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
end

local function pick()
  if #keys == 0 then return nil end
  return keys[math.random(#keys)]
end

function request()
  local k = pick()
  local headers = {}
  local body = nil
  if key_in == "body" then
    headers["Authorization"] = "Bearer " .. auth
    headers["Content-Type"] = "application/json"
    body = '{"key":"' .. (k or "") .. '"}'
  elseif k then
    headers["Authorization"] = "Bearer " .. k
  elseif auth then
    headers["Authorization"] = "Bearer " .. auth
  end
  if method == "POST" and body == nil then
    headers["Content-Type"] = "application/json"
    body = os.getenv("BENCH_BODY") or "{}"
  end
  return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH_RESULT {"requests":%d,"seconds":%.3f,"p50":%d,"p99":%d,"errors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
