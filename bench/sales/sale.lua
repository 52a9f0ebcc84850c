-- wrk script for bench/sales/run.sh: every request is a new fuel sale with its own UUIDv7-shaped
-- client id, spread at random over the stations' nozzles, as the bench's StationManager.
--
-- Environment (read by every wrk thread):
--   SALES_TOKEN    bearer token of a user who may record sales at every target station
--   SALES_TARGETS  file of "station_id nozzle_id" lines
--
-- Counts 2xx and other answers per thread and keeps the ids of the sales answered 2xx (from the
-- answer's body, since wrk does not say which request an answer belongs to) and of every sale
-- sent; done() prints the totals as "sales: ..." lines and writes the ids to the files named by
-- SALES_OK_IDS and SALES_SENT_IDS, so run.sh can check them against the database.

local threads = {}
local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("thread_no", thread_count)
    table.insert(threads, thread)
end

local targets = {}
local headers = {}
local counter = 0
local nonce = 0
ok_count = 0
other_count = 0
sent_count = 0
ok_ids = {}
sent_ids = {}
statuses = {}

function init(args)
    headers["Authorization"] = "Bearer " .. os.getenv("SALES_TOKEN")
    headers["Content-Type"] = "application/json"
    for line in io.lines(os.getenv("SALES_TARGETS")) do
        local station, nozzle = line:match("^(%S+)%s+(%S+)$")
        if station then table.insert(targets, { station, nozzle }) end
    end
    assert(#targets > 0, "no targets in SALES_TARGETS")
    math.randomseed(os.time() * 1000 + thread_no)
    nonce = math.random(0, 0xffff)
end

-- 8-4-4-4-12 hex: 48 bits of Unix milliseconds (seconds here: wrk's Lua has no finer clock, and
-- only the shape matters), version 7, 12 random bits, the variant, 14 bits of thread number,
-- then 16 bits of per-run nonce and a 32-bit counter: unique within a run by construction.
local function new_id()
    counter = counter + 1
    local ms = os.time() * 1000
    local hi = math.floor(ms / 65536)
    return string.format("%04x%04x-%04x-7%03x-%04x-%04x%04x%04x",
        math.floor(hi / 65536) % 65536, hi % 65536, ms % 65536, math.random(0, 0xfff),
        0x8000 + thread_no % 0x4000, nonce, math.floor(counter / 65536) % 65536, counter % 65536)
end

function request()
    local t = targets[math.random(1, #targets)]
    local id = new_id()
    sent_count = sent_count + 1
    sent_ids[sent_count] = id
    local litres = string.format("%d.%03d", math.random(1, 60), math.random(0, 999))
    local body = '{"id":"' .. id .. '","station_id":"' .. t[1] .. '","nozzle_id":"' .. t[2] ..
        '","quantity":"' .. litres .. '","payment_method":"cash"}'
    return wrk.format("POST", "/api/v1/transactions", headers, body)
end

function response(status, headers, body)
    if status >= 200 and status < 300 then
        ok_count = ok_count + 1
        -- The sale's own "id" (keys are sorted, so it is not first; "request_id" and the other
        -- "..._id" keys do not match the leading separator).
        ok_ids[ok_count] = body:match('[{,]"id":"([%x%-]+)"') or "?"
    else
        other_count = other_count + 1
        statuses[status] = (statuses[status] or 0) + 1
        if other_count <= 3 then io.stderr:write("sale answered ", status, ": ", body, "\n") end
    end
end

local function write_ids(path, list)
    if path == nil then return end
    local f = assert(io.open(path, "a"))
    for _, id in ipairs(list) do f:write(id, "\n") end
    f:close()
end

function done(summary, latency, requests)
    local ok, other, sent = 0, 0, 0
    for _, t in ipairs(threads) do
        ok = ok + t:get("ok_count")
        other = other + t:get("other_count")
        sent = sent + t:get("sent_count")
        write_ids(os.getenv("SALES_OK_IDS"), t:get("ok_ids"))
        write_ids(os.getenv("SALES_SENT_IDS"), t:get("sent_ids"))
        for status, n in pairs(t:get("statuses")) do
            io.write(string.format("sales: status %d answered %d times\n", status, n))
        end
    end
    io.write(string.format("sales: sent %d 2xx %d other %d\n", sent, ok, other))
    io.write(string.format("sales: latency p50_us %d p99_us %d\n", latency:percentile(50),
        latency:percentile(99)))
    io.write(string.format("sales: socket errors connect %d read %d write %d timeout %d\n",
        summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
