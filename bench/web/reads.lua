-- SPDX-License-Identifier: MIT
-- wrk script of bench/web/run.sh: GET PREFIX..ID for a patient id drawn at
-- random (uniformly, per request) from IDS_FILE, with the session cookie.
--   wrk ... -s reads.lua URL -- PREFIX IDS_FILE SESSION
-- At the end one line, read by run.sh:
--   RESULT requests=N seconds=S rps=R p50_ms=... p90_ms=... p99_ms=...
--          max_ms=... non2xx=N connect=N read=N write=N timeout=N

local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("seed", counter)
    table.insert(threads, thread)
end

local prefix, cookie
local ids = {}

function init(args)
    prefix = args[1]
    for line in io.lines(args[2]) do
        if line ~= "" then
            ids[#ids + 1] = line
        end
    end
    if #ids == 0 then
        error("no patient id in " .. args[2])
    end
    cookie = "myoreg_session=" .. args[3]
    -- a different sequence per thread, the same from run to run
    math.randomseed(1000 + seed)
end

function request()
    local id = ids[math.random(#ids)]
    return wrk.format("GET", prefix .. id, { ["Cookie"] = cookie })
end

function done(summary, latency, requests)
    local e = summary.errors
    local s = summary.duration / 1e6
    io.write(string.format(
        "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p90_ms=%.2f " ..
        "p99_ms=%.2f max_ms=%.2f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
        summary.requests, s, summary.requests / s,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000,
        e.status, e.connect, e.read, e.write, e.timeout))
end
