-- GET /api/v1/cases with type and state filters, 20 per page, as the
-- meldpunt of Kerkrade (municipality scope over the generated cases).
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
local states = {"aangemeld", "verrijking", "geagendeerd", "plan_van_aanpak", "uitvoering", "monitoring", "afgesloten"}
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
request = function()
  return wrk.format("GET", "/api/v1/cases?type=iaww&state=" .. states[math.random(#states)] .. "&limit=20")
end
