-- Runs an Argo CD health script the way Argo CD does, against one JSON object.
-- usage: lua5.1 run-health.lua <health.lua> <object.json>
-- prints two lines: the health status, then the message.
-- Argo CD gives custom checks only base, table and a safe os (time, date): the script runs in an
-- environment holding just those, and string methods are switched off while it runs, so a
-- script that would fail in gopher-lua fails here too.

local function decodeJson(text)
  local pos = 1
  local value

  local function fail(what)
    error("JSON: " .. what .. " at offset " .. pos, 0)
  end
  local function skipSpace()
    pos = text:find("[^ \t\r\n]", pos) or (#text + 1)
  end
  local function literal(word, result)
    if text:sub(pos, pos + #word - 1) ~= word then fail("bad literal") end
    pos = pos + #word
    return result
  end
  local escapes = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" }
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = text:sub(pos, pos)
      if c == "" then fail("unterminated string") end
      if c == '"' then pos = pos + 1; return table.concat(out) end
      if c == "\\" then
        local e = text:sub(pos + 1, pos + 1)
        if e == "u" then
          local code = tonumber(text:sub(pos + 2, pos + 5), 16) or fail("bad \\u escape")
          if code > 127 then fail("non-ASCII \\u escape unsupported") end
          out[#out + 1] = string.char(code)
          pos = pos + 6
        else
          out[#out + 1] = escapes[e] or fail("bad escape")
          pos = pos + 2
        end
      else
        out[#out + 1] = c
        pos = pos + 1
      end
    end
  end
  local function number()
    local s, e = text:find("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if not s then fail("bad number") end
    pos = e + 1
    return tonumber(text:sub(s, e))
  end
  local function list(open, close, item)
    local result = {}
    pos = pos + 1
    skipSpace()
    if text:sub(pos, pos) == close then pos = pos + 1; return result end
    while true do
      item(result)
      skipSpace()
      local c = text:sub(pos, pos)
      pos = pos + 1
      if c == close then return result end
      if c ~= "," then fail("expected ',' or '" .. close .. "'") end
    end
  end
  function value()
    skipSpace()
    local c = text:sub(pos, pos)
    if c == "{" then
      return list("{", "}", function(t)
        skipSpace()
        if text:sub(pos, pos) ~= '"' then fail("expected key") end
        local k = str()
        skipSpace()
        if text:sub(pos, pos) ~= ":" then fail("expected ':'") end
        pos = pos + 1
        t[k] = value()
      end)
    elseif c == "[" then
      -- JSON null inside an array would leave a hole; Kubernetes objects have none.
      return list("[", "]", function(t) t[#t + 1] = value() end)
    elseif c == '"' then return str()
    elseif c == "t" then return literal("true", true)
    elseif c == "f" then return literal("false", false)
    elseif c == "n" then return literal("null", nil)
    else return number()
    end
  end

  local result = value()
  skipSpace()
  if pos <= #text then fail("trailing data") end
  return result
end

local function readFile(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local scriptPath, objectPath = arg[1], arg[2]
if not scriptPath or not objectPath then
  io.stderr:write("usage: lua5.1 run-health.lua <health.lua> <object.json>\n")
  os.exit(2)
end

local object = decodeJson(readFile(objectPath))
local script = assert(loadfile(scriptPath))

local env = {
  obj = object,
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
  print = print, rawequal = rawequal, rawget = rawget, rawset = rawset, select = select,
  setmetatable = setmetatable, getmetatable = getmetatable, tonumber = tonumber,
  tostring = tostring, type = type, unpack = unpack, xpcall = xpcall, _VERSION = _VERSION,
  table = { concat = table.concat, insert = table.insert, remove = table.remove, sort = table.sort,
            getn = table.getn, maxn = table.maxn },
  os = { time = os.time, date = os.date }
}
env._G = env
setfenv(script, env)

local stringMeta = getmetatable("")
local stringIndex = stringMeta.__index
stringMeta.__index = function(_, name)
  error("string method '" .. tostring(name) .. "' is not available in Argo CD's Lua sandbox", 2)
end
local ok, hs = pcall(script)
stringMeta.__index = stringIndex

if not ok then
  io.stderr:write("health script failed: " .. tostring(hs) .. "\n")
  os.exit(1)
end
if type(hs) ~= "table" then
  io.stderr:write("health script returned " .. type(hs) .. ", Argo CD expects a table\n")
  os.exit(1)
end
print(tostring(hs.status))
print(tostring(hs.message))
