/**
 * The only way a key appears outside the guard: its id and its last four characters. Short secrets (under 12
 * characters) show none, since four characters would be a large part of them.
 */
export function lastFour(secret: string): string {
  return secret.length >= 12 ? secret.slice(-4) : '';
}

export function keyLabel(id: string, secret: string): string {
  const tail = lastFour(secret);
  return tail ? `${id} (…${tail})` : id;
}
