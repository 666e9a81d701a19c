// Ollama's native /api/chat reports its counts on the final answer object (`done: true`): prompt_eval_count (the
// prompt tokens it evaluated) and eval_count (the tokens it generated). Streams are NDJSON, one object per line, so
// only a line that holds the final object is parsed; the rest are passed over as bytes.
import type { CanonicalUsage } from '../../formats/canonical/canonical-response.ts';
import { isRecord, numberOr } from '../../formats/canonical/json-values.ts';
import type { UsageReading } from '../../formats/token-usage/usage-reading.ts';

const finalMarker = Buffer.from('"done":true');
const newline = 0x0a;
/** A line longer than this is not a final answer object (those are short); it is not buffered. */
const maxLineBytes = 64 * 1024;

function usageFromOllama(answer: unknown): CanonicalUsage | undefined {
  if (!isRecord(answer)) return undefined;
  const usage: CanonicalUsage = {};
  const prompt = numberOr(answer.prompt_eval_count);
  const generated = numberOr(answer.eval_count);
  if (prompt !== undefined) usage.inputTokens = prompt;
  if (generated !== undefined) usage.outputTokens = generated;
  return prompt === undefined && generated === undefined ? undefined : usage;
}

function parseLine(line: Buffer): CanonicalUsage | undefined {
  try {
    return usageFromOllama(JSON.parse(line.toString('utf8')));
  } catch {
    return undefined;
  }
}

export const ollamaNativeUsage: UsageReading = {
  fromBody: usageFromOllama,
  createStreamReader() {
    let pending: Buffer | undefined;
    let usage: CanonicalUsage | undefined;
    return {
      push(chunk) {
        const data = pending ? Buffer.concat([pending, chunk]) : chunk;
        const lastNewline = data.lastIndexOf(newline);
        const rest = data.subarray(lastNewline + 1);
        pending = rest.length > 0 && rest.length <= maxLineBytes ? Buffer.from(rest) : undefined;
        let found = data.indexOf(finalMarker);
        while (found !== -1 && found < lastNewline) {
          const start = data.lastIndexOf(newline, found) + 1;
          const end = data.indexOf(newline, found);
          usage = parseLine(data.subarray(start, end)) ?? usage;
          found = data.indexOf(finalMarker, end);
        }
        // The final object may come without a trailing newline; parse it as soon as it is whole JSON.
        if (pending !== undefined && pending.indexOf(finalMarker) !== -1) usage = parseLine(pending) ?? usage;
      },
      usage: () => usage,
    };
  },
};
