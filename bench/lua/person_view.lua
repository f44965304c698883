-- GET /api/v1/persons/{id} for random generated persons with a case in
-- Kerkrade (person p has cases 2p and 2p+1; case i is in Kerkrade when i % 7 == 0).
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
local persons = tonumber(os.getenv("BENCH_PERSONS"))
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
request = function()
  local p = 7 * math.random(0, math.floor((persons - 1) / 7))
  return wrk.format("GET", string.format("/api/v1/persons/person_b%07d", p))
end
