-- POSTs enrolments with each signed-in worker's cookie and CSRF token (written by the harness).
dofile(os.getenv("BENCH_TARGETS"))
local index = 0
request = function()
  index = index % #targets + 1
  local target = targets[index]
  return wrk.format("POST", target.path, {
    ["Cookie"] = target.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "csrf_token=" .. target.token)
end
dofile(os.getenv("BENCH_REPORT"))
