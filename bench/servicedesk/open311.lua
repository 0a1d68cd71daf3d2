-- wrk script for bench/servicedesk_open311.py.
--
--   wrk ... -s open311.lua URL -- get PATH [PATH...]      GET, rotating through the paths
--   wrk ... -s open311.lua URL -- miss PATH [PATH...]     the same, each with a unique extra
--                                                        parameter, so no answer is ever cached
--   wrk ... -s open311.lua URL -- post API_KEY            POST requests.json, form-encoded
--
-- done() prints the percentiles from wrk's own histogram as "PCT <p> <microseconds>" lines,
-- since wrk's --latency table has no 95th percentile.

local mode = "get"
local paths = {}
local api_key = ""
local counter = 0
local salt = os.time()  -- a new set of nonces on every run
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

-- Points inside Kota Kediri (checked against the shipped boundaries by the bench script).
local points = {
  {"-7.8186", "112.0034"},
  {"-7.8240", "112.0120"},
  {"-7.8060", "112.0190"},
  {"-7.8350", "111.9990"},
}
local streets = {"Jl. Dhoho", "Jl. Brawijaya", "Jl. Hayam Wuruk", "Jl. Joyoboyo", "Jl. Pattimura"}

local function encode(text)
  return (string.gsub(text, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local function form(fields)
  local parts = {}
  for _, pair in ipairs(fields) do
    parts[#parts + 1] = encode(pair[1]) .. "=" .. encode(pair[2])
  end
  return table.concat(parts, "&")
end

function init(args)
  mode = args[1] or "get"
  if mode == "post" then
    api_key = args[2]
  else
    for i = 2, #args do
      paths[#paths + 1] = args[i]
    end
  end
  -- Each thread starts at a different place in the rotation and numbers its own bodies.
  counter = (id or 0) * 1000003
end

local function post_body(n)
  local fields = {{"api_key", api_key}}
  local kind = n % 4
  if kind == 0 then
    fields[#fields + 1] = {"service_code", "jalan-rusak"}
    fields[#fields + 1] = {"attribute[kerusakan]", ({"lubang", "retak", "amblas"})[n % 3 + 1]}
    fields[#fields + 1] = {"description", "Jalan berlubang dalam, sudah ada motor jatuh (" .. n .. ")"}
  elseif kind == 1 then
    fields[#fields + 1] = {"service_code", "lampu-jalan-mati"}
    fields[#fields + 1] = {"attribute[jumlah_lampu]", tostring(n % 5 + 1)}
    fields[#fields + 1] = {"description", "Lampu jalan mati beberapa tiang, gelap dan rawan (" .. n .. ")"}
  elseif kind == 2 then
    fields[#fields + 1] = {"service_code", "sampah-menumpuk"}
    fields[#fields + 1] = {"description", "Sampah di TPS belum diangkut, bau menyengat (" .. n .. ")"}
  else
    fields[#fields + 1] = {"service_code", "drainase-tersumbat"}
    fields[#fields + 1] = {"attribute[dampak][]", "jalan"}
    fields[#fields + 1] = {"attribute[dampak][]", "rumah"}
    fields[#fields + 1] = {"description", "Got tersumbat, air meluap ke jalan saat hujan (" .. n .. ")"}
  end
  if n % 3 == 0 then
    fields[#fields + 1] = {"address_string", streets[n % #streets + 1] .. " No. " .. (n % 200 + 1)}
  else
    local point = points[n % #points + 1]
    fields[#fields + 1] = {"lat", point[1]}
    fields[#fields + 1] = {"long", point[2]}
  end
  if n % 2 == 0 then
    fields[#fields + 1] = {"phone", string.format("0812-0000-%04d", n % 10000)}
  end
  return form(fields)
end

function request()
  counter = counter + 1
  if mode == "post" then
    return wrk.format("POST", "/open311/v2/requests.json",
      {["Content-Type"] = "application/x-www-form-urlencoded"}, post_body(counter))
  end
  local path = paths[counter % #paths + 1]
  if mode == "miss" then
    -- Open311 ignores parameters it does not know; a cache keyed on the query cannot hit.
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "bench_nonce=" .. salt .. "-" .. counter
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  for _, p in ipairs({50, 75, 90, 95, 99}) do
    io.write(string.format("PCT %d %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("COMPLETED %d\n", summary.requests))
  io.write(string.format("NON2XX %d\n", summary.errors.status))
end
