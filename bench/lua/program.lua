-- The public program: every request asks for the whole published program, either afresh
-- (no validator) or as a revalidation (If-None-Match with the app's current ETag → 304).
-- Arguments after "--": <event slug> [<etag, with its quotes>].

package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
require "common"

local path = "/api/v1/events/digital-bridge/program"
local headers = {["Accept-Language"] = "en"}

function init(args)
  path = "/api/v1/events/" .. (args[1] or "digital-bridge") .. "/program"
  if args[2] and args[2] ~= "" then headers["If-None-Match"] = args[2] end
end

function request()
  return wrk.format("GET", path, headers)
end
