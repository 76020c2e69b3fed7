-- wrk script of compare-net.sh: each send is 16 GET requests back to back (HTTP/1.1 pipelining);
-- wrk counts every response and times each from its send.
local depth = 16

init = function(args)
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format(nil, "/")
  end
  req = table.concat(r)
end

request = function()
  return req
end
