import type { EngineStatus, KeyStatus, ProviderHealth } from '../../../shared/api-contract.ts';
import type { Tone } from '../components/status-pill.tsx';

// Words and colours for states, in one place so every screen says the same thing.

export function servingWords(state: EngineStatus['state']): string {
  const words: Record<EngineStatus['state'], string> = {
    starting: 'Starting…',
    serving: 'Serving',
    pausing: 'Pausing…',
    paused: 'Paused',
    stopping: 'Stopping…',
    stopped: 'Stopped',
    failed: 'Not running',
  };
  return words[state];
}

export function servingTone(state: EngineStatus['state']): Tone {
  if (state === 'serving') return 'good';
  if (state === 'failed') return 'bad';
  if (state === 'paused' || state === 'stopped') return 'neutral';
  return 'info';
}

export function keyWords(status: KeyStatus): string {
  const words: Record<KeyStatus, string> = {
    active: 'Ready',
    cooling: 'Cooling down',
    exhausted: 'Quota used up',
    disabled: 'Off',
    missing: 'Missing',
    unknown: 'Not checked yet',
  };
  return words[status];
}

export function keyTone(status: KeyStatus): Tone {
  if (status === 'active') return 'good';
  if (status === 'cooling' || status === 'exhausted') return 'warn';
  if (status === 'missing') return 'bad';
  return 'neutral';
}

/** `credentials: 'accounts'` for copilot / codex providers, whose credentials are signed-in accounts. */
export function healthWords(health: ProviderHealth, credentials: 'keys' | 'accounts' = 'keys'): string {
  if (credentials === 'accounts' && health === 'no-keys') return 'No account signed in';
  if (credentials === 'accounts' && health === 'degraded') return 'Some accounts resting';
  const words: Record<ProviderHealth, string> = {
    healthy: 'Healthy',
    degraded: 'Some keys resting',
    down: 'Not answering',
    disabled: 'Switched off',
    'no-keys': 'No usable key',
  };
  return words[health];
}

export function healthTone(health: ProviderHealth): Tone {
  if (health === 'healthy') return 'good';
  if (health === 'degraded') return 'warn';
  if (health === 'down' || health === 'no-keys') return 'bad';
  return 'neutral';
}

/** "in 42 s", "in 3 min", "at 14:05" for a time in the future. */
export function until(timestamp: number | null, now = Date.now()): string | null {
  if (timestamp === null) return null;
  const ms = timestamp - now;
  if (ms <= 0) return 'now';
  if (ms < 90_000) return `in ${Math.ceil(ms / 1000)} s`;
  if (ms < 3_600_000) return `in ${Math.round(ms / 60_000)} min`;
  return `at ${new Date(timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
