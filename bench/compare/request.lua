-- wrk script: POST one chat completion. Environment: BODY_FILE (the JSON body) and HEADERS
-- (";"-separated "name: value" pairs, e.g. the bearer key or Portkey's routing headers).
wrk.method = "POST"
local f = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
for pair in string.gmatch(os.getenv("HEADERS") or "", "[^;]+") do
  local name, value = pair:match("^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end

