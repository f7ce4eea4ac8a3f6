-- The compare script's request (request.lua), and the first three answers of each non-200
-- status per wrk thread written to stderr with the start of their body.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "request.lua")

local seen = {}
function response(status, headers, body)
  if status ~= 200 then
    seen[status] = (seen[status] or 0) + 1
    if seen[status] <= 3 then
      io.stderr:write(status, " ", (body or ""):sub(1, 300):gsub("\n", " "), "\n")
    end
  end
end
