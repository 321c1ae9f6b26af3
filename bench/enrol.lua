-- Enrols and withdraws each target (a signed-in worker and an open course) in turn, so that every
-- request changes the state. Each wrk thread takes its own targets, and cycles through them, so a
-- target's next request is sent only after its previous one has been answered.
dofile(os.getenv("BENCH_TARGETS"))
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local mine, index, enrolled = nil, 0, {}
request = function()
  if mine == nil then
    mine = {}
    local count = tonumber(os.getenv("BENCH_THREADS"))
    for i = id + 1, #targets, count do mine[#mine + 1] = targets[i] end
  end
  index = index % #mine + 1
  local target = mine[index]
  enrolled[index] = not enrolled[index]
  return wrk.format("POST", enrolled[index] and target.enrol or target.withdraw, {
    ["Cookie"] = target.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "csrf_token=" .. target.token)
end
dofile(os.getenv("BENCH_REPORT"))
