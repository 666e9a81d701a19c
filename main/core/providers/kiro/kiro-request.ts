import { randomUUID } from 'node:crypto';
import { isRecord } from '../../formats/canonical/json-values.ts';
import { kiroOrigin } from './kiro-endpoint.ts';

// Anthropic Messages (what the pipeline hands this provider, whatever the client spoke) -> CodeWhisperer's
// generateAssistantResponse body (docs/wire-formats.md "CodeWhisperer request"): the last user turn is
// `currentMessage`, everything before it `history`, which must alternate user / assistant and start with a user
// turn. There is no system field: the system text leads the first user turn. Tools travel with the current message;
// tool results with the user turn that answers them, by toolUseId.

type Json = Record<string, unknown>;

interface Turn {
  role: 'user' | 'assistant';
  text: string[];
  images: Json[];
  toolResults: Json[];
  toolUses: Json[];
}

/** CodeWhisperer refuses empty content; these stand in when a turn carries only tool calls or results. */
const emptyUserContent = 'Continue.';
const emptyAssistantContent = '...';
const imageFormats = new Set(['png', 'jpeg', 'gif', 'webp']);

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isRecord)
    .map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

function imageOf(block: Json): Json | string {
  const source = isRecord(block.source) ? block.source : {};
  if (source.type === 'base64' && typeof source.data === 'string') {
    const format = String(source.media_type ?? 'image/png').replace(/^image\//, '').replace('jpg', 'jpeg');
    if (imageFormats.has(format)) return { format, source: { bytes: source.data } };
    return `[an image of type ${String(source.media_type)} was left out: Kiro takes png, jpeg, gif and webp]`;
  }
  // CodeWhisperer takes image bytes only; it cannot fetch an address.
  return `[image: ${typeof source.url === 'string' ? source.url : 'not inline'}]`;
}

function turnOf(message: Json): Turn {
  const role = message.role === 'assistant' ? 'assistant' : 'user';
  const turn: Turn = { role, text: [], images: [], toolResults: [], toolUses: [] };
  const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : Array.isArray(message.content) ? message.content.filter(isRecord) : [];
  for (const block of blocks) {
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') turn.text.push(block.text);
    else if (block.type === 'image' && role === 'user') {
      const image = imageOf(block);
      if (typeof image === 'string') turn.text.push(image);
      else turn.images.push(image);
    } else if (block.type === 'tool_use' && role === 'assistant') {
      turn.toolUses.push({ toolUseId: String(block.id ?? `tooluse_${randomUUID()}`), name: String(block.name ?? ''), input: isRecord(block.input) ? block.input : {} });
    } else if (block.type === 'tool_result' && role === 'user') {
      turn.toolResults.push({ toolUseId: String(block.tool_use_id ?? ''), status: block.is_error === true ? 'error' : 'success', content: [{ text: textOf(block.content) || '(no output)' }] });
    }
    // thinking / redacted_thinking: CodeWhisperer has no way to replay reasoning; it is left out.
  }
  return turn;
}

/** Merges neighbours of the same role and fills in turns so the conversation alternates and ends on a user turn. */
export function alternate(turns: Turn[]): Turn[] {
  const merged: Turn[] = [];
  for (const turn of turns) {
    const last = merged.at(-1);
    if (last && last.role === turn.role) {
      last.text.push(...turn.text);
      last.images.push(...turn.images);
      last.toolResults.push(...turn.toolResults);
      last.toolUses.push(...turn.toolUses);
    } else merged.push({ ...turn, text: [...turn.text], images: [...turn.images], toolResults: [...turn.toolResults], toolUses: [...turn.toolUses] });
  }
  if (merged[0]?.role !== 'user') merged.unshift({ role: 'user', text: [], images: [], toolResults: [], toolUses: [] });
  if (merged.at(-1)?.role !== 'user') merged.push({ role: 'user', text: [], images: [], toolResults: [], toolUses: [] });
  return merged;
}

function systemText(system: unknown): string {
  return textOf(system).trim();
}

function userMessage(turn: Turn, model: string, extra: Json = {}): Json {
  const context: Json = { ...extra };
  if (turn.toolResults.length > 0) context.toolResults = turn.toolResults;
  return {
    userInputMessage: {
      content: turn.text.join('\n\n').trim() || emptyUserContent,
      modelId: model,
      origin: kiroOrigin,
      ...(turn.images.length > 0 ? { images: turn.images } : {}),
      ...(Object.keys(context).length > 0 ? { userInputMessageContext: context } : {}),
    },
  };
}

function assistantMessage(turn: Turn): Json {
  return {
    assistantResponseMessage: {
      content: turn.text.join('\n\n').trim() || emptyAssistantContent,
      ...(turn.toolUses.length > 0 ? { toolUses: turn.toolUses } : {}),
    },
  };
}

function toolsOf(tools: unknown): Json[] {
  if (!Array.isArray(tools)) return [];
  return tools.filter(isRecord).filter((tool) => typeof tool.name === 'string' && tool.name !== '').map((tool) => {
    const schema = isRecord(tool.input_schema) ? tool.input_schema : { type: 'object', properties: {} };
    return {
      toolSpecification: {
        name: tool.name,
        // An empty description is refused; the name is the best stand-in.
        description: typeof tool.description === 'string' && tool.description.trim() !== '' ? tool.description : `Tool ${String(tool.name)}`,
        inputSchema: { json: schema },
      },
    };
  });
}

/** The body of generateAssistantResponse for an Anthropic Messages request. */
export function toKiroRequest(body: Json, model: string): Json {
  const turns = alternate((Array.isArray(body.messages) ? body.messages.filter(isRecord) : []).map(turnOf));
  const system = systemText(body.system);
  if (system !== '') turns[0]!.text.unshift(system);
  const current = turns.pop()!;
  const history = turns.map((turn) => (turn.role === 'user' ? userMessage(turn, model) : assistantMessage(turn)));
  const tools = toolsOf(body.tools);
  const inference: Json = {};
  if (typeof body.max_tokens === 'number') inference.maxTokens = body.max_tokens;
  if (typeof body.temperature === 'number') inference.temperature = body.temperature;
  if (typeof body.top_p === 'number') inference.topP = body.top_p;
  return {
    conversationState: {
      chatTriggerType: 'MANUAL',
      conversationId: randomUUID(),
      currentMessage: userMessage(current, model, tools.length > 0 ? { tools } : {}),
      history,
    },
    ...(Object.keys(inference).length > 0 ? { inferenceConfig: inference } : {}),
  };
}
