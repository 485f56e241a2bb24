-- POST .../letters with a fresh Idempotency-Key per request (PLI_BENCH_COOKIE, PLI_BENCH_ORIGIN).
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_tag", threads .. "-" .. os.time())
end

local counter = 0

function request()
  counter = counter + 1
  local headers = {
    ["Cookie"] = os.getenv("PLI_BENCH_COOKIE"),
    ["Origin"] = os.getenv("PLI_BENCH_ORIGIN"),
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-" .. thread_tag .. "-" .. counter,
  }
  local body = '{"kind":"lre","subject":"Convocation ' .. counter .. '","body":"Bonjour",' ..
    '"reference":"BENCH","recipients":[{"email":"dest' .. counter ..
    '@bench.test","last_name":"Durand","first_name":"Marie","status":"individual"}]}'
  return wrk.format("POST", nil, headers, body)
end
