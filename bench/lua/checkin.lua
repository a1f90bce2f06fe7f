-- Entrance check-in: scanners present distinct valid badges, each once while codes last.
-- Arguments after "--": <run id> <codes file> <tokens file> <threads> <gate> <first> <last>
-- (the 1-based range of code lines this phase uses; each thread takes every <threads>-th).

package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
require "common"

local codes, tokens = {}, {}
local next_code, next_token, counter = 1, 1, 0
local run_id, gate = "run", "main-entrance"
exhausted = false

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(out, line) end
  end
  return out
end

function init(args)
  run_id, gate = args[1], args[5]
  local threads, first, last = tonumber(args[4]), tonumber(args[6]), tonumber(args[7])
  local me = tid or 0
  for i, code in ipairs(lines(args[2])) do
    if i >= first and i <= last and (i - first) % threads == me then table.insert(codes, code) end
  end
  for i, token in ipairs(lines(args[3])) do
    if (i - 1) % threads == me then table.insert(tokens, token) end
  end
end

function request()
  counter = counter + 1
  if next_code > #codes then
    -- Out of fresh badges: start over (repeat scans) and say so in the summary.
    next_code, exhausted = 1, true
  end
  local code = codes[next_code]
  next_code = next_code + 1
  local token = tokens[next_token]
  next_token = next_token % #tokens + 1
  local body = string.format('{"code": "%s", "gate": "%s", "nonce": "%s-t%d-%08d"}',
                             code, gate, run_id, tid or 0, counter)
  return wrk.format("POST", "/api/v1/checkins", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end
