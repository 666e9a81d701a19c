/**
 * A `.env` file as Gemini CLI reads it (the dotenv format): `KEY=value` lines, optional `export `, `#` comments,
 * values optionally quoted. Only the keys Switchyard owns are rewritten; every other line stays byte for byte.
 */
const assignment = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(.*?)(\r?)$/;

function unquote(raw: string): string {
  const value = raw.trim();
  const quote = value[0];
  if ((quote === '"' || quote === "'" || quote === '`') && value.length >= 2) {
    const end = value.indexOf(quote, 1);
    if (end > 0) return quote === '"' ? value.slice(1, end).replace(/\\n/g, '\n') : value.slice(1, end);
  }
  const comment = value.search(/\s#/);
  return (comment === -1 ? value : value.slice(0, comment)).trim();
}

/** The values a dotenv file assigns (a later line wins over an earlier one, as dotenv does). */
export function readDotenv(text: string | undefined): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const match = assignment.exec(line);
    if (match?.[2] !== undefined) values.set(match[2], unquote(match[4] ?? ''));
  }
  return values;
}

function needsQuotes(value: string): boolean {
  return !/^[A-Za-z0-9_./:@+=-]*$/.test(value);
}

function serialise(value: string): string {
  return needsQuotes(value) ? JSON.stringify(value) : value;
}

/** Sets each key: every line that assigns it gets the new value in place; keys not yet there are appended. */
export function setDotenvValues(text: string | undefined, values: Readonly<Record<string, string>>): string {
  const lines = (text ?? '').split('\n');
  const missing = new Set(Object.keys(values));
  const edited = lines.map((line) => {
    const match = assignment.exec(line);
    const key = match?.[2];
    if (match === null || key === undefined || !(key in values)) return line;
    missing.delete(key);
    return `${match[1]}${key}${match[3]}${serialise(values[key] as string)}${match[5]}`;
  });
  let result = edited.join('\n');
  if (missing.size === 0) return result;
  const eol = result.includes('\r\n') ? '\r\n' : '\n';
  if (result !== '' && !result.endsWith('\n')) result += eol;
  for (const key of missing) result += `${key}=${serialise(values[key] as string)}${eol}`;
  return result;
}
