-- Each target (a signed-in worker, a session open for check-in and its scan token) is sent once, so that
-- every request writes a check-in; each wrk thread takes its own share of the targets.
dofile(os.getenv("BENCH_TARGETS"))
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local mine, index = nil, 0
request = function()
  if mine == nil then
    mine = {}
    local count = tonumber(os.getenv("BENCH_THREADS"))
    for i = id + 1, #targets, count do mine[#mine + 1] = targets[i] end
  end
  index = index % #mine + 1
  local target = mine[index]
  return wrk.format("POST", target.path, {
    ["Cookie"] = target.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, target.body)
end
dofile(os.getenv("BENCH_REPORT"))
