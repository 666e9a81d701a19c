/**
 * The small scripts besides the admission (admission-script.ts). Each touches one scope and writes single fields,
 * never whole objects.
 */

/**
 * A budget learned from the provider's rate-limit headers, merged as the local LearnedBudget does: within one window
 * (resets less than a second apart) the remaining count only goes down, a later reset starts a new window.
 * KEYS: key state. ARGV: field prefix ("learnedRequests" | "learnedTokens"), remaining, resetAt, now.
 */
export const learnedBudgetScript = `
local prefix, remaining, resetAt, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local current = redis.call('HMGET', KEYS[1], prefix, prefix .. 'Reset')
local currentRemaining, currentReset = tonumber(current[1]), tonumber(current[2])
if currentRemaining and currentReset and currentReset > now and math.abs(currentReset - resetAt) <= 1000 then
  if currentRemaining < remaining then remaining = currentRemaining end
end
redis.call('HSET', KEYS[1], prefix, remaining, prefix .. 'Reset', resetAt)
return 1
`;

/** A key put back in service: every decision about it goes; what it has sent (pacing, tokens) stays. KEYS: key state. */
export const resetKeyScript = `
local kept = { paceDue = true, paceHeld = true, paceHeldUntil = true, tokensTotal = true, tokensCursor = true }
local fields = redis.call('HKEYS', KEYS[1])
for _, field in ipairs(fields) do
  if not kept[field] then redis.call('HDEL', KEYS[1], field) end
end
return #fields
`;

/**
 * What every instance shows on its dashboard: for each scope (3 KEYS: state, send log, leases) its decision fields,
 * live leases and the sends in the last minute, hour and day, and the tokens of the last minute (the admission
 * script's running total, as of the last admission).
 * ARGV: now. Answers one entry per scope: {flattened state hash, leases, minute, hour, day, tokens}.
 */
export const readStateScript = `
local now = tonumber(ARGV[1])
local answer = {}
for index = 1, #KEYS, 3 do
  local state, log, leases = KEYS[index], KEYS[index + 1], KEYS[index + 2]
  answer[#answer + 1] = {
    redis.call('HGETALL', state),
    redis.call('ZCOUNT', leases, '(' .. now, '+inf'),
    redis.call('ZCOUNT', log, '(' .. (now - 60000), '+inf'),
    redis.call('ZCOUNT', log, '(' .. (now - 3600000), '+inf'),
    redis.call('ZCOUNT', log, '(' .. (now - 86400000), '+inf'),
    tonumber(redis.call('HGET', state, 'tokensTotal') or '0'),
  }
end
return answer
`;

/**
 * A paced send went out on the wire (or ended without going out): in each scope that paces, the next send is due no
 * earlier than one interval after it, and the hold its admission put on the scope goes (when it is still this
 * lease's). KEYS: provider state, key state. ARGV: sent at, lease id, provider interval, key interval.
 */
export const wentOutScript = `
local at, lease = tonumber(ARGV[1]), ARGV[2]
for index = 1, 2 do
  local pace = tonumber(ARGV[index + 2])
  if pace > 0 then
    local state = KEYS[index]
    local due = tonumber(redis.call('HGET', state, 'paceDue') or '0')
    if due < at + pace then redis.call('HSET', state, 'paceDue', tostring(at + pace)) end
    if redis.call('HGET', state, 'paceHeld') == lease then redis.call('HDEL', state, 'paceHeld', 'paceHeldUntil') end
  end
end
return 1
`;
