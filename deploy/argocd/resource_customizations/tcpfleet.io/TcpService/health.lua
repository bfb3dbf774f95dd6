-- Argo CD health check for tcpfleet.io/TcpService.
-- Argo CD runs it in gopher-lua (Lua 5.1): as a built-in check with the standard libraries, but
-- from argocd-cm with only the base, table and a safe subset of the os library. No string library
-- here (no string.find / s:sub), so it runs the same both ways.
-- Order matters: a status the operator wrote for an older generation says nothing about now.

-- Ready=False reasons that mean "failed", not "on its way" (the operator's failure reasons; it
-- normally also sets Degraded=True for them). DeploymentMissing and ReplicasNotReady are on their way.
local failureReasons = {
  ReconcileFailed = true,
  ReplicaFailure = true,
  ProgressDeadlineExceeded = true
}

local function condition(conditions, conditionType)
  for _, c in ipairs(conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function messageOf(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

local hs = {}
local generation = obj.metadata.generation
local status = obj.status

if status == nil or status.conditions == nil or #status.conditions == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local observed = status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
    .. " (observed " .. tostring(observed or "none") .. ")"
  return hs
end

local ready = condition(status.conditions, "Ready")
local progressing = condition(status.conditions, "Progressing")
local degraded = condition(status.conditions, "Degraded")

if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = messageOf(degraded, "TcpService is degraded")
  return hs
end

if ready ~= nil and ready.status == "False" and failureReasons[ready.reason] then
  hs.status = "Degraded"
  hs.message = messageOf(ready, "TcpService is not ready: " .. tostring(ready.reason))
  return hs
end

if progressing ~= nil and progressing.status == "True" then
  hs.status = "Progressing"
  hs.message = messageOf(progressing, "TcpService is rolling out")
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = messageOf(ready, "TcpService is ready")
  return hs
end

hs.status = "Progressing"
hs.message = messageOf(ready, "Waiting for the TcpService to become ready")
return hs
