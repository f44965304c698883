-- GET /api/v1/cases/{id} as the demo meldpunt account (every read is audited).
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
wrk.method = "GET"
wrk.path = "/api/v1/cases/" .. os.getenv("BENCH_CASE")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
