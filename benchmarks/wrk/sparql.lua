-- SPARQL GET load for wrk: each request picks one of the query templates given as
-- script arguments and fills its placeholders with fresh random values.
--
--   wrk -t1 -c8 -d10s --timeout 60s -s benchmarks/wrk/sparql.lua http://127.0.0.1:7878/query \
--       -- <organisations> '<template>' ['<template>' ...]
--
-- Placeholders (the shapes of the store benchmarks/serve.py generates):
--   @org@        a random organisation IRI, <https://w3id.org/lcgraph/id/organisation/oN>
--   @community@  a random learning community IRI (organisations / 4 of them)
--   @n100@       a random integer in 0..99
-- A template without placeholders is one identical request (what a dashboard sends).
-- At the end each thread's counts are summed and one line is printed for the driver:
--   RESULT {"requests":N,"non2xx":N,"socket_errors":N,"duration_us":N,"p50_us":N,"p99_us":N}

local ID = "https://w3id.org/lcgraph/id/"
local ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  table.insert(threads, thread)
end

local function urlencode(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

function init(args)
  organisations = tonumber(args[1])
  templates = {}
  for i = 2, #args do templates[#templates + 1] = args[i] end
  if not organisations or #templates == 0 then
    error("usage: -- <organisations> <template> [<template> ...]")
  end
  math.randomseed(os.time() * 1000 + thread_id)
  base = wrk.path
  headers = { ["Accept"] = ACCEPT }
  fixed = nil
  if #templates == 1 and not templates[1]:find("@%a+@") then
    fixed = wrk.format("GET", base .. "?query=" .. urlencode(templates[1]), headers)
  end
end

local fill = {
  org = function() return "<" .. ID .. "organisation/o" .. math.random(0, organisations - 1) .. ">" end,
  community = function()
    return "<" .. ID .. "learning-community/c" .. math.random(0, math.floor(organisations / 4) - 1) .. ">"
  end,
  n100 = function() return tostring(math.random(0, 99)) end,
}

function request()
  if fixed then return fixed end
  local text = templates[math.random(1, #templates)]:gsub("@(%a+)@", function(name) return fill[name]() end)
  return wrk.format("GET", base .. "?query=" .. urlencode(text), headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  print(string.format(
    'RESULT {"requests":%d,"non2xx":%d,"socket_errors":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d}',
    summary.requests, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
