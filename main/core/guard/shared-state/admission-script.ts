/**
 * The admission of one send across all instances, as one Lua script that Redis runs atomically (EVALSHA): no other
 * instance's command can run between the checks and the writes, so no interleaving lets a key or a provider past
 * its windows. It checks the provider scope, then the key scope:
 *   disabled (key), cooling and exhausted-until (key), breaker open-until, pacing (a GCRA due time, burst aware),
 *   rolling request windows (minute, hour, day; one second of margin, as the local send log), tokens per minute,
 *   the budget learned from the provider's headers, and in-flight leases (expired ones are swept first).
 * When both pass it records the send in both scopes (send log entry, pacing due time, a lease scored by its expiry,
 * learned budgets spent) and answers {1}; otherwise {0, scope, until, reason}, until = -1 meaning "not before an
 * operator acts" (a disabled key).
 *
 * KEYS: provider state (hash), provider send log (sorted set), provider leases (sorted set), then the same for the key.
 * ARGV: now, tokens, model, lease id, lease expiry, busy poll ms, provider limits (7), key limits (7),
 *       provider log retention ms, key log retention ms. A limit of -1 is "none".
 * Members of a send log are "<lease id>:<tokens>", so the tokens window can be summed from the log itself.
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

local function tokenSlot(log, limit)
  local span = minute + margin
  local entries = redis.call('ZRANGEBYSCORE', log, '(' .. (now - span), '+inf', 'WITHSCORES')
  local count = #entries / 2
  if count == 0 then return now end
  local sizes, total = {}, 0
  for index = 1, count do
    local size = tonumber(string.match(entries[2 * index - 1], ':(%d+)$')) or 0
    sizes[index] = size
    total = total + size
  end
  local budget = limit - tokens
  if budget >= 0 and total <= budget then return now end
  if budget < 0 then return tonumber(entries[2 * count]) + span end
  local first = 1
  while first <= count and total > budget do
    total = total - sizes[first]
    first = first + 1
  end
  return tonumber(entries[2 * (first - 1)]) + span
end

local function check(state, log, leases, limits, isKey)
  local fields = redis.call('HMGET', state, 'disabled', 'coolingUntil', 'exhausted:' .. model, 'breakerOpenUntil',
    'paceDue', 'learnedRequests', 'learnedRequestsReset', 'learnedTokens', 'learnedTokensReset')
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
  if limits.perMinute >= 0 then later(countSlot(log, minute, limits.perMinute), 'perMinute') end
  if limits.perHour >= 0 then later(countSlot(log, hour, limits.perHour), 'perHour') end
  if limits.perDay >= 0 then later(countSlot(log, day, limits.perDay), 'perDay') end
  if limits.tpm >= 0 then later(tokenSlot(log, limits.tpm), 'tokensPerMinute') end
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
  end
  if retention > 0 then
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
