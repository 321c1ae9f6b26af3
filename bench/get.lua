-- GETs with an optional session cookie (BENCH_COOKIE).
local cookie = os.getenv("BENCH_COOKIE")
request = function()
  local headers = {}
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", nil, headers)
end
dofile(os.getenv("BENCH_REPORT"))
