/**
 * "in 45 s", "in 3 min", "in 2 h": how long until a moment, for menu lines that must stay short. Rounded up, so
 * a key that comes back in 0.4 s reads "in 1 s", never "in 0 s".
 */
export function describeWait(until: number, now: number): string {
  const seconds = Math.ceil((until - now) / 1000);
  if (seconds <= 0) return 'now';
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.ceil(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.ceil(hours / 24)} days`;
}
