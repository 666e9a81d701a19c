import type { ParseError } from 'jsonc-parser';
import { applyEdits, modify, parse, printParseErrorCode } from 'jsonc-parser';
import { lineAt, MalformedClientFileError } from './client-module.ts';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a client's JSON settings file. `comments` allows // and /* comments and trailing commas (Gemini CLI
 * accepts them; Claude Code's settings.json is strict JSON). An empty file counts as `{}`.
 */
export function parseJsonObject(path: string, text: string | undefined, options: { comments: boolean }): JsonObject {
  if (text === undefined || text.trim() === '') return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: options.comments, disallowComments: !options.comments, allowEmptyContent: false });
  const [first] = errors;
  if (first) throw new MalformedClientFileError(path, lineAt(text, first.offset), `not valid JSON (${describeJsonError(printParseErrorCode(first.error))})`);
  if (!isJsonObject(value)) throw new MalformedClientFileError(path, 1, 'the top level is not a JSON object');
  return value;
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function detectIndent(text: string): { insertSpaces: boolean; tabSize: number } {
  const match = /^([ \t]+)\S/m.exec(text);
  if (!match?.[1]) return { insertSpaces: true, tabSize: 2 };
  if (match[1].startsWith('\t')) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: match[1].length };
}

/**
 * Sets values at paths by editing the text in place: everything else (key order, indentation, comments, line
 * endings) stays as it was. A file that does not exist yet becomes a 2-space indented object with a final newline.
 */
export function setJsonValues(text: string | undefined, values: ReadonlyArray<{ path: string[]; value: unknown }>): string {
  const original = text === undefined || text.trim() === '' ? '{}\n' : text;
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const formattingOptions = { ...detectIndent(original), eol };
  let result = original;
  for (const { path, value } of values) result = applyEdits(result, modify(result, path, value, { formattingOptions }));
  return result.endsWith('\n') ? result : `${result}${eol}`;
}
