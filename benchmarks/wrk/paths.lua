-- GET load for wrk over a list of request paths: each request takes a random line of the
-- file given as the script's argument (benchmarks/search.py writes one per workload).
--
--   wrk -t1 -c8 -d10s --timeout 60s -s benchmarks/wrk/paths.lua http://127.0.0.1:8000 \
--       -- paths.txt
--
-- At the end one line is printed for the driver, as sparql.lua does:
--   RESULT {"requests":N,"non2xx":N,"socket_errors":N,"duration_us":N,"p50_us":N,"p99_us":N}

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("usage: -- <file of request paths>") end
  math.randomseed(os.time() * 1000 + thread_id)
  headers = { ["Accept"] = "application/json, application/sparql-results+json" }
end

function request()
  return wrk.format("GET", paths[math.random(1, #paths)], headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  print(string.format(
    'RESULT {"requests":%d,"non2xx":%d,"socket_errors":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d}',
    summary.requests, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
