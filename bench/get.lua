-- GETs with an optional session cookie (BENCH_COOKIE), or "Bearer <token>" for the JSON API.
local cookie = os.getenv("BENCH_COOKIE")
request = function()
  local headers = {}
  if cookie and cookie:sub(1, 7) == "Bearer " then headers["Authorization"] = cookie
  elseif cookie and cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", nil, headers)
end
dofile(os.getenv("BENCH_REPORT"))
