-- POST .../transitions: each request adds partner information to the next
-- case of BENCH_CASES_FILE, all in verrijking at version 2, so that every
-- request is a real transition (a case used twice would answer 409, which
-- wrk counts as non-2xx).
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
local ids = {}
for line in io.lines(os.getenv("BENCH_CASES_FILE")) do ids[#ids + 1] = line end
local headers = {["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"), ["Content-Type"] = "application/json"}
local body = '{"transition":"partnerinformatie_toevoegen","version":2,"data":{"informatie":"wijkagent meldt een incident"}}'
local i = 0
request = function()
  i = i + 1
  local id = ids[((i - 1) % #ids) + 1]
  return wrk.format("POST", "/api/v1/cases/" .. id .. "/transitions", headers, body)
end
