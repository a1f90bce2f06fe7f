-- Shared by the scenario scripts: per-thread status counts, and one JSON summary line at the
-- end that bench/run.py reads (latencies in microseconds).

local threads = {}
local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

statuses = {}
outcomes = {}
first_error = nil

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  -- The forum's answers carry a "status" (confirmed/waitlisted, ok/already_checked_in, …).
  local outcome = body and string.match(body, '"status"%s*:%s*"([%w_]+)"')
  if outcome then outcomes[outcome] = (outcomes[outcome] or 0) + 1 end
  if status >= 300 and status ~= 304 and first_error == nil then  -- 304: revalidated
    first_error = key .. " " .. string.sub(body or "", 1, 300)
  end
end

local function json_string(s)
  s = string.gsub(s, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local totals = {}
  local outcome_totals = {}
  local errors = {}
  local exhausted = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      totals[status] = (totals[status] or 0) + count
    end
    for outcome, count in pairs(thread:get("outcomes") or {}) do
      outcome_totals[outcome] = (outcome_totals[outcome] or 0) + count
    end
    local err = thread:get("first_error")
    if err ~= nil then table.insert(errors, json_string(err)) end
    if thread:get("exhausted") then exhausted = exhausted + 1 end
  end
  local function counts(t)
    local parts = {}
    for k, count in pairs(t) do table.insert(parts, string.format('"%s": %d', k, count)) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"duration_us": %d, "requests": %d, "statuses": %s, "outcomes": %s, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"threads_out_of_input": %d, "first_errors": [%s]}\n',
    summary.duration, summary.requests, counts(totals), counts(outcome_totals),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, exhausted, table.concat(errors, ", ")))
end
