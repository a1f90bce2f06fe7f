-- Registration rush: every request registers a new person (an email never used before).
-- Arguments after "--": <run id> <event slug>.

package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
require "common"

local counter = 0
local run_id = "run"
local path = "/"


function init(args)
  run_id = args[1] or run_id
  path = "/api/v1/events/" .. (args[2] or "digital-bridge") .. "/registrations"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"first_name": "Aigerim", "last_name": "Nurlanqyzy", ' ..
    '"email": "%s-t%d-%d@bench.example.kz", "country": "KZ", "organization": "Bench LLP", ' ..
    '"job_title": "Engineer", "locale": "en", "consent": true}',
    run_id, tid or 0, counter)
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end
