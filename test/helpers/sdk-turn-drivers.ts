// The official SDK of each client format, driven through one conversation: a turn (streamed, or not), the tool
// results added the way that client adds them. Used by the cross-format tests and the account-kind tests.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { GoogleGenAI, type Content, type GenerateContentResponseUsageMetadata, type Part } from '@google/genai';
import type { WireFormat } from '../../shared/wire-format.ts';

export const weatherSchema = { type: 'object' as const, properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] };

export interface TurnResult {
  text: string;
  calls: { id: string; name: string; args: unknown }[];
  inputTokens: number | undefined;
  outputTokens: number | undefined;
}

export interface ClientDriver {
  /** One turn (streamed unless `stream` is false); `history` is the client's own conversation so far, extended in place. */
  turn(history: unknown[], withTools: boolean, stream?: boolean): Promise<TurnResult>;
  start(): unknown[];
  addResults(history: unknown[], calls: TurnResult['calls']): void;
}

export interface SwitchyardEndpoint {
  url: string;
  clientKey: string;
}

const question = 'What is the weather in Paris?';
const toolOutput = (call: TurnResult['calls'][number]) => `18 degrees in ${(call.args as { city: string }).city}`;

export function sdkTurnDrivers(endpoint: SwitchyardEndpoint): Record<WireFormat, (model: string) => ClientDriver> {
  return {
    anthropic: (model) => {
      const client = new Anthropic({ apiKey: endpoint.clientKey, baseURL: endpoint.url, maxRetries: 0 });
      return {
        start: () => [{ role: 'user', content: question }],
        async turn(history, withTools, stream = true) {
          const tools = withTools ? [{ name: 'get_weather', description: 'Current weather', input_schema: weatherSchema }] : undefined;
          const body = { model, max_tokens: 1000, messages: history as Anthropic.MessageParam[], ...(tools ? { tools } : {}) };
          const message = stream ? await client.messages.stream(body).finalMessage() : await client.messages.create(body);
          history.push({ role: 'assistant', content: message.content });
          return {
            text: message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join(''),
            calls: message.content.flatMap((block) => (block.type === 'tool_use' ? [{ id: block.id, name: block.name, args: block.input }] : [])),
            inputTokens: message.usage.input_tokens + (message.usage.cache_read_input_tokens ?? 0),
            outputTokens: message.usage.output_tokens,
          };
        },
        addResults(history, calls) {
          history.push({ role: 'user', content: calls.map((call) => ({ type: 'tool_result', tool_use_id: call.id, content: toolOutput(call) })) });
        },
      };
    },
    'openai-chat': (model) => {
      const client = new OpenAI({ apiKey: endpoint.clientKey, baseURL: `${endpoint.url}/v1`, maxRetries: 0 });
      return {
        start: () => [{ role: 'user', content: question }],
        async turn(history, withTools, stream = true) {
          const tools = withTools ? [{ type: 'function' as const, function: { name: 'get_weather', description: 'Current weather', parameters: weatherSchema } }] : undefined;
          const body = { model, messages: history as OpenAI.ChatCompletionMessageParam[], ...(tools ? { tools } : {}) };
          const completion = stream
            ? await client.chat.completions.stream({ ...body, stream_options: { include_usage: true } }).finalChatCompletion()
            : await client.chat.completions.create(body);
          const message = completion.choices[0]!.message;
          history.push({ role: 'assistant', content: message.content, ...(message.tool_calls?.length ? { tool_calls: message.tool_calls } : {}) });
          return {
            text: message.content ?? '',
            calls: (message.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [{ id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) }] : [])),
            inputTokens: completion.usage?.prompt_tokens,
            outputTokens: completion.usage?.completion_tokens,
          };
        },
        addResults(history, calls) {
          for (const call of calls) history.push({ role: 'tool', tool_call_id: call.id, content: toolOutput(call) });
        },
      };
    },
    'openai-responses': (model) => {
      const client = new OpenAI({ apiKey: endpoint.clientKey, baseURL: `${endpoint.url}/v1`, maxRetries: 0 });
      return {
        start: () => [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: question }] }],
        async turn(history, withTools, stream = true) {
          const tools = withTools ? [{ type: 'function' as const, name: 'get_weather', description: 'Current weather', parameters: weatherSchema, strict: false }] : undefined;
          const body = { model, input: history as OpenAI.Responses.ResponseInput, ...(tools ? { tools } : {}) };
          const response = stream ? await client.responses.stream(body).finalResponse() : await client.responses.create(body);
          history.push(...response.output);
          return {
            text: response.output_text,
            calls: response.output.flatMap((item) => (item.type === 'function_call' ? [{ id: item.call_id, name: item.name, args: JSON.parse(item.arguments) }] : [])),
            inputTokens: response.usage?.input_tokens,
            outputTokens: response.usage?.output_tokens,
          };
        },
        addResults(history, calls) {
          for (const call of calls) history.push({ type: 'function_call_output', call_id: call.id, output: toolOutput(call) });
        },
      };
    },
    gemini: (model) => {
      const ai = new GoogleGenAI({ apiKey: endpoint.clientKey, httpOptions: { baseUrl: endpoint.url, retryOptions: { attempts: 1 } } });
      return {
        start: () => [{ role: 'user', parts: [{ text: question }] }],
        async turn(history, withTools, stream = true) {
          const tools = withTools ? [{ functionDeclarations: [{ name: 'get_weather', description: 'Current weather', parametersJsonSchema: weatherSchema }] }] : undefined;
          const request = { model, contents: history as Content[], config: tools ? { tools } : {} };
          const parts: Part[] = [];
          let usageMetadata: GenerateContentResponseUsageMetadata | undefined;
          if (stream) {
            for await (const chunk of await ai.models.generateContentStream(request)) {
              parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
              if (chunk.usageMetadata) usageMetadata = chunk.usageMetadata;
            }
          } else {
            const response = await ai.models.generateContent(request);
            parts.push(...(response.candidates?.[0]?.content?.parts ?? []));
            usageMetadata = response.usageMetadata;
          }
          // As Gemini CLI does: keep the model turn without thought parts.
          history.push({ role: 'model', parts: parts.filter((part) => !part.thought) });
          return {
            text: parts.filter((part) => part.text && !part.thought).map((part) => part.text).join(''),
            calls: parts.flatMap((part) => (part.functionCall ? [{ id: part.functionCall.id ?? '', name: part.functionCall.name ?? '', args: part.functionCall.args }] : [])),
            inputTokens: usageMetadata?.promptTokenCount,
            outputTokens: (usageMetadata?.candidatesTokenCount ?? 0) + (usageMetadata?.thoughtsTokenCount ?? 0),
          };
        },
        addResults(history, calls) {
          history.push({ role: 'user', parts: calls.map((call) => ({ functionResponse: { id: call.id, name: call.name, response: { output: toolOutput(call) } } })) });
        },
      };
    },
  };
}
