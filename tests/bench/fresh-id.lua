-- wrk script: every request is a new CloudEvent (fresh ce-id), so no answer comes from a cache.
-- Environment: RUN_ID (unique per wrk run: ids must not repeat across runs, and Lua's random
-- numbers do), BODY_TEMPLATE (with {id} replaced per request), PATH_ (default "/"),
-- CHOICES (optional, comma-separated: {choice} in the template takes them in turn, e.g. ISBNs so
-- that requests spread over several rows), DELAY_MS (optional: each connection waits that long
-- after an answer before its next request; a paced load, since this wrk has no --rate).
local template = os.getenv("BODY_TEMPLATE") or "{}"
local path = os.getenv("PATH_") or "/"
local run = os.getenv("RUN_ID") or tostring(os.time())
local delay_ms = tonumber(os.getenv("DELAY_MS") or "")
local choices = {}
for c in string.gmatch(os.getenv("CHOICES") or "", "[^,]+") do
  choices[#choices + 1] = c
end
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
  if #choices > 0 then
    body = string.gsub(body, "{choice}", choices[(counter % #choices) + 1])
  end
  return wrk.format("POST", path, wrk.headers, body)
end

if delay_ms then
  function delay()
    return delay_ms
  end
end
