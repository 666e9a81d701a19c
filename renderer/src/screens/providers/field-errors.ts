import type { ApiCallError } from '../../api/api-client.ts';

/** Field messages from a refused call, by the first part of each issue's path (`keys[1].secret` -> `keys`). */
export function fieldErrors(error: ApiCallError | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error?.issues ?? []) {
    const field = issue.path.split(/[.[]/)[0] ?? '';
    const line = /^keys\[(\d+)\]/.exec(issue.path);
    const message = line ? `Key on line ${Number(line[1]) + 1}: ${issue.message}` : issue.message;
    errors[field] ??= message;
  }
  return errors;
}

/** Lines of a textarea, trimmed, blanks dropped. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Models typed with commas or on separate lines. */
export function modelNames(text: string): string[] {
  return [...new Set(text.split(/[\n,]/).map((name) => name.trim()).filter((name) => name !== ''))];
}
