/**
 * The admission of one send across all instances, as one Lua script that Redis runs atomically (EVALSHA): no other
 * instance's command can run between the checks and the writes, so no interleaving lets a key or a provider past
 * its windows. It checks the provider scope, then the key scope:
 *   disabled (key), cooling and exhausted-until (key), breaker open-until, pacing (a GCRA due time, burst aware,
 *   and with burst 1 a hold while the previous paced send has not reported going out on the wire),
 *   rolling request windows (minute, hour, day; one second of margin, as the local send log), tokens per minute,
 *   the budget learned from the provider's headers, and in-flight leases (expired ones are swept first).
 * When both pass it records the send in both scopes (send log entry, pacing due time, a lease scored by its expiry,
 * learned budgets spent) and answers {1}; otherwise {0, scope, until, reason}, until = -1 meaning "not before an
 * operator acts" (a disabled key).
 *
 * KEYS: provider state (hash), provider send log (sorted set), provider leases (sorted set), then the same for the key.
 * ARGV: now, tokens, model, lease id, lease expiry, busy poll ms, provider limits (7), key limits (7),
 *       provider log retention ms, key log retention ms. A limit of -1 is "none".
 * Members of a send log are "<lease id>:<tokens>". The tokens of the last minute are a running total in the state
 * hash (tokensTotal, covering the log entries after tokensCursor): each admission subtracts only the entries that
 * have left the minute since the last one, so the check costs O(1) amortised however busy the key is.
 */
export const admissionScript = `
local now = tonumber(ARGV[1])
local tokens = tonumber(ARGV[2])
local model = ARGV[3]
local lease = ARGV[4]
local leaseExpiry = tonumber(ARGV[5])
local pollMs = tonumber(ARGV[6])
local margin = 1000
local minute, hour, day = 60000, 3600000, 86400000

local function limitsAt(offset)
  return { conc = tonumber(ARGV[offset]), pace = tonumber(ARGV[offset + 1]), burst = tonumber(ARGV[offset + 2]),
    perMinute = tonumber(ARGV[offset + 3]), perHour = tonumber(ARGV[offset + 4]), perDay = tonumber(ARGV[offset + 5]),
    tpm = tonumber(ARGV[offset + 6]) }
end

local function countSlot(log, windowMs, limit)
  local since = now - windowMs - margin
  if redis.call('ZCOUNT', log, '(' .. since, '+inf') < limit then return now end
  local blocking = redis.call('ZREVRANGEBYSCORE', log, '+inf', '(' .. since, 'WITHSCORES', 'LIMIT', limit - 1, 1)
  return tonumber(blocking[2]) + windowMs + margin
end

local function size(member)
  return tonumber(string.match(member, ':(%d+)$')) or 0
end

-- The tokens sent in the last minute: the running total, after taking off what has left the window since.
local function tokensInWindow(state, log)
  local since = now - minute - margin
  if redis.call('EXISTS', log) == 0 then
    redis.call('HSET', state, 'tokensTotal', 0, 'tokensCursor', since)
    return 0
  end
  local cursor = tonumber(redis.call('HGET', state, 'tokensCursor'))
  local total = tonumber(redis.call('HGET', state, 'tokensTotal') or '0')
  if not cursor then
    -- No running total yet for an existing log (tokensPerMinute newly configured): count the window once.
    total = 0
    for _, member in ipairs(redis.call('ZRANGEBYSCORE', log, '(' .. since, '+inf')) do total = total + size(member) end
    redis.call('HSET', state, 'tokensTotal', total, 'tokensCursor', since)
  elseif cursor < since then
    for _, member in ipairs(redis.call('ZRANGEBYSCORE', log, '(' .. cursor, since)) do total = total - size(member) end
    redis.call('HSET', state, 'tokensTotal', total, 'tokensCursor', since)
  end
  return total
end

local function tokenSlot(state, log, limit)
  local span = minute + margin
  local total = tokensInWindow(state, log)
  local budget = limit - tokens
  if budget >= 0 and total <= budget then return now end
  if total == 0 then return now end
  if budget < 0 then
    local last = redis.call('ZREVRANGEBYSCORE', log, '+inf', '(' .. (now - span), 'WITHSCORES', 'LIMIT', 0, 1)
    return tonumber(last[2]) + span
  end
  -- Only when the window is full: walk from its oldest send until enough tokens would have left.
  local entries = redis.call('ZRANGEBYSCORE', log, '(' .. (now - span), '+inf', 'WITHSCORES')
  for index = 1, #entries, 2 do
    total = total - size(entries[index])
    if total <= budget then return tonumber(entries[index + 1]) + span end
  end
  return now
end

local function check(state, log, leases, limits, isKey)
  local fields = redis.call('HMGET', state, 'disabled', 'coolingUntil', 'exhausted:' .. model, 'breakerOpenUntil',
    'paceDue', 'learnedRequests', 'learnedRequestsReset', 'learnedTokens', 'learnedTokensReset', 'paceHeld', 'paceHeldUntil')
  if isKey and fields[1] then return -1, 'disabled: ' .. fields[1], fields end
  local at, reason = now, ''
  local function later(time, why)
    if time and time > at then at, reason = time, why end
  end
  if isKey then
    if fields[2] then later(tonumber(fields[2]), 'cooling') end
    if fields[3] then later(tonumber(string.match(fields[3], '^(%d+)')), 'quota exhausted for ' .. model) end
  end
  if fields[4] then later(tonumber(fields[4]), 'breaker open') end
  if limits.pace > 0 and fields[5] then later(tonumber(fields[5]) - (limits.burst - 1) * limits.pace, 'minDelayMs') end
  -- The last paced send (burst 1) has not gone out yet, anywhere in the cluster: look again shortly.
  if limits.pace > 0 and limits.burst <= 1 and fields[10] and tonumber(fields[11]) > now then later(now + pollMs, 'minDelayMs (previous send still connecting)') end
  if limits.perMinute >= 0 then later(countSlot(log, minute, limits.perMinute), 'perMinute') end
  if limits.perHour >= 0 then later(countSlot(log, hour, limits.perHour), 'perHour') end
  if limits.perDay >= 0 then later(countSlot(log, day, limits.perDay), 'perDay') end
  if limits.tpm >= 0 then later(tokenSlot(state, log, limits.tpm), 'tokensPerMinute') end
  local requestsReset = tonumber(fields[7])
  if requestsReset and requestsReset > now and tonumber(fields[6]) <= 0 then later(requestsReset, 'learned request budget') end
  local tokensReset = tonumber(fields[9])
  if tokensReset and tokensReset > now then
    local left = tonumber(fields[8])
    if left <= 0 or left < tokens then later(tokensReset, 'learned token budget') end
  end
  if at > now then return at, reason, fields end
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  if limits.conc >= 0 and redis.call('ZCARD', leases) >= limits.conc then return now + pollMs, 'maxConcurrent', fields end
  return now, '', fields
end

local function record(state, log, leases, limits, retention, fields)
  if limits.pace > 0 then
    local due = tonumber(fields[5]) or now
    if due < now then due = now end
    redis.call('HSET', state, 'paceDue', tostring(due + limits.pace))
    -- Held until this send reports going out (went-out script) or its lease expires (a killed instance).
    if limits.burst <= 1 then redis.call('HSET', state, 'paceHeld', lease, 'paceHeldUntil', leaseExpiry) end
  end
  if retention > 0 then
    if limits.tpm >= 0 then
      tokensInWindow(state, log)
      redis.call('HINCRBY', state, 'tokensTotal', tokens)
    end
    redis.call('ZADD', log, now, lease .. ':' .. tokens)
    redis.call('ZREMRANGEBYSCORE', log, '-inf', now - retention - margin)
    redis.call('PEXPIRE', log, retention + margin + minute)
  end
  redis.call('ZADD', leases, leaseExpiry, lease)
  redis.call('PEXPIRE', leases, leaseExpiry - now + minute)
  local requestsReset = tonumber(fields[7])
  if requestsReset and requestsReset > now then redis.call('HINCRBY', state, 'learnedRequests', -1) end
  local tokensReset = tonumber(fields[9])
  if tokensReset and tokensReset > now then redis.call('HINCRBY', state, 'learnedTokens', -tokens) end
end

local providerLimits, keyLimits = limitsAt(7), limitsAt(14)
local providerAt, providerReason, providerFields = check(KEYS[1], KEYS[2], KEYS[3], providerLimits, false)
if providerAt ~= now then return { 0, 'provider', math.ceil(providerAt), providerReason } end
local keyAt, keyReason, keyFields = check(KEYS[4], KEYS[5], KEYS[6], keyLimits, true)
if keyAt ~= now then return { 0, 'key', math.ceil(keyAt), keyReason } end
record(KEYS[1], KEYS[2], KEYS[3], providerLimits, tonumber(ARGV[21]), providerFields)
record(KEYS[4], KEYS[5], KEYS[6], keyLimits, tonumber(ARGV[22]), keyFields)
return { 1 }
`;
