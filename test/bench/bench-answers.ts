// The benchmark provider's answers, pre-built as bytes (shared by bench-upstream.ts, which serves them, and
// translator-bench.ts, which translates them without a network): an Anthropic message and stream, an OpenAI Chat
// completion and stream, a Gemini answer and stream, each 50 text chunks of five characters.

export const streamChunks = 50;

/**
 * The text of chunk `index`: "w000 ", "w001 ", ... Every chunk differs, as a model's tokens do; an answer that repeats
 * one chunk verbatim would favour anything that caches by content.
 */
const word = (index: number) => `w${String(index).padStart(3, '0')} `;
const wholeText = Array.from({ length: streamChunks }, (_, index) => word(index)).join('').trim();

const sse = (event: string | undefined, data: unknown) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

export const anthropicMessage = Buffer.from(
  JSON.stringify({
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: 'bench-model',
    content: [{ type: 'text', text: wholeText }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 20, output_tokens: streamChunks },
  }),
);

export const anthropicStream = [
  sse('message_start', { type: 'message_start', message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'bench-model', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 20, output_tokens: 1 } } }),
  sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ...Array.from({ length: streamChunks }, (_, index) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word(index) } })),
  sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
  sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: streamChunks } }),
  sse('message_stop', { type: 'message_stop' }),
].map((event) => Buffer.from(event));

const chatChunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  sse(undefined, { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench-model', choices: [{ index: 0, delta, finish_reason: finish }] });
export const chatStream = [
  chatChunk({ role: 'assistant', content: '' }),
  ...Array.from({ length: streamChunks }, (_, index) => chatChunk({ content: word(index) })),
  chatChunk({}, 'stop'),
  sse(undefined, { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench-model', choices: [], usage: { prompt_tokens: 20, completion_tokens: streamChunks, total_tokens: 20 + streamChunks } }),
  'data: [DONE]\n\n',
].map((event) => Buffer.from(event));
export const chatCompletion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1,
    model: 'bench-model',
    choices: [{ index: 0, message: { role: 'assistant', content: wholeText }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 20, completion_tokens: streamChunks, total_tokens: 20 + streamChunks },
  }),
);

const geminiChunk = (text: string, last: boolean) =>
  sse(undefined, {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
    ...(last ? { usageMetadata: { promptTokenCount: 20, candidatesTokenCount: streamChunks, totalTokenCount: 20 + streamChunks } } : {}),
    modelVersion: 'bench-model',
    responseId: 'bench',
  });
export const geminiStream = Array.from({ length: streamChunks }, (_, index) => Buffer.from(geminiChunk(word(index), index === streamChunks - 1)));
export const geminiAnswer = Buffer.from(
  JSON.stringify({
    candidates: [{ content: { role: 'model', parts: [{ text: wholeText }] }, index: 0, finishReason: 'STOP' }],
    usageMetadata: { promptTokenCount: 20, candidatesTokenCount: streamChunks, totalTokenCount: 20 + streamChunks },
    modelVersion: 'bench-model',
    responseId: 'bench',
  }),
);

// Two streams only translator-bench uses, shaped as the real vendors send them where more than the text changes
// between events: Gemini with token counts in every chunk, and an OpenAI Responses stream (what a Codex account
// answers), whose events carry a growing sequence_number and a random obfuscation string.
const geminiChunkWithUsage = (index: number) =>
  sse(undefined, {
    candidates: [{ content: { role: 'model', parts: [{ text: word(index) }] }, index: 0, ...(index === streamChunks - 1 ? { finishReason: 'STOP' } : {}) }],
    usageMetadata: { promptTokenCount: 20, candidatesTokenCount: index + 1, totalTokenCount: 21 + index },
    modelVersion: 'bench-model',
    responseId: 'bench',
  });
export const geminiStreamWithUsage = Array.from({ length: streamChunks }, (_, index) => Buffer.from(geminiChunkWithUsage(index)));

const obfuscation = (index: number) => 'AbCdEfGhIjKl'.slice(0, 4 + (index % 8));
let sequence = 0;
const responsesEvent = (data: Record<string, unknown>) => sse(String(data.type), { ...data, sequence_number: sequence++ });
const responseShell = { id: 'resp_bench', object: 'response', created_at: 1, model: 'bench-model', output: [], usage: null };
const messageItem = { id: 'msg_bench', type: 'message', status: 'in_progress', content: [], role: 'assistant' };
export const responsesStream = [
  responsesEvent({ type: 'response.created', response: { ...responseShell, status: 'in_progress' } }),
  responsesEvent({ type: 'response.in_progress', response: { ...responseShell, status: 'in_progress' } }),
  responsesEvent({ type: 'response.output_item.added', output_index: 0, item: messageItem }),
  responsesEvent({ type: 'response.content_part.added', item_id: 'msg_bench', output_index: 0, content_index: 0, part: { type: 'output_text', annotations: [], text: '' } }),
  ...Array.from({ length: streamChunks }, (_, index) =>
    responsesEvent({ type: 'response.output_text.delta', item_id: 'msg_bench', output_index: 0, content_index: 0, delta: word(index), logprobs: [], obfuscation: obfuscation(index) }),
  ),
  responsesEvent({ type: 'response.output_text.done', item_id: 'msg_bench', output_index: 0, content_index: 0, text: wholeText, logprobs: [] }),
  responsesEvent({ type: 'response.content_part.done', item_id: 'msg_bench', output_index: 0, content_index: 0, part: { type: 'output_text', annotations: [], text: wholeText } }),
  responsesEvent({ type: 'response.output_item.done', output_index: 0, item: { ...messageItem, status: 'completed', content: [{ type: 'output_text', annotations: [], text: wholeText }] } }),
  responsesEvent({
    type: 'response.completed',
    response: { ...responseShell, status: 'completed', usage: { input_tokens: 20, output_tokens: streamChunks, total_tokens: 20 + streamChunks } },
  }),
].map((event) => Buffer.from(event));
