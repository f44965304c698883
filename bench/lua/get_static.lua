-- The reference: nginx serving the same case JSON as a static file.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
wrk.method = "GET"
wrk.path = "/case.json"
