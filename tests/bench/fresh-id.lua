-- wrk script: every request is a new CloudEvent (fresh ce-id), so no answer comes from a cache.
-- Environment: RUN_ID (unique per wrk run: ids must not repeat across runs, and Lua's random
-- numbers do), BODY_TEMPLATE (with {id} replaced per request), PATH_ (default "/").
local template = os.getenv("BODY_TEMPLATE") or "{}"
local path = os.getenv("PATH_") or "/"
local run = os.getenv("RUN_ID") or tostring(os.time())
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", run .. "-" .. threads)
end

function request()
  counter = counter + 1
  local id = tid .. "-" .. counter
  wrk.headers["ce-id"] = id
  local body = string.gsub(template, "{id}", id)
  return wrk.format("POST", path, wrk.headers, body)
end
