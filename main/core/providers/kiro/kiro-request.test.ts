// Anthropic Messages -> CodeWhisperer generateAssistantResponse: alternating history, system text, tools, tool
// results by id, images; checked against the conversation rules the fake service enforces too.
import { describe, expect, it } from 'vitest';
import { conversationProblem } from '../../../../test/helpers/fake-accounts/fake-aws-codewhisperer.ts';
import { toKiroRequest } from './kiro-request.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field below
type Json = Record<string, any>;

describe('the CodeWhisperer request', () => {
  it('puts the last user turn in currentMessage, the system text first, and the tools with the current message', () => {
    const body = toKiroRequest(
      {
        system: [{ type: 'text', text: 'Be brief.' }],
        max_tokens: 500,
        temperature: 0.3,
        tools: [{ name: 'get_weather', description: '', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      },
      'claude-sonnet-4.5',
    ) as Json;
    expect(conversationProblem(body)).toBeUndefined();
    expect(body.inferenceConfig).toEqual({ maxTokens: 500, temperature: 0.3 });
    const current = body.conversationState.currentMessage.userInputMessage;
    expect(current).toMatchObject({ content: 'Be brief.\n\nWeather in Paris?', modelId: 'claude-sonnet-4.5', origin: 'AI_EDITOR' });
    expect(current.userInputMessageContext.tools).toEqual([{ toolSpecification: { name: 'get_weather', description: 'Tool get_weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }]);
    expect(body.conversationState.history).toEqual([]);
    expect(body.conversationState.chatTriggerType).toBe('MANUAL');
  });

  it('carries tool calls and their results by id, and images as bytes', () => {
    const body = toKiroRequest(
      {
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'ZmFrZQ==' } }] },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 's' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18 degrees' }] }] },
        ],
      },
      'm',
    ) as Json;
    expect(conversationProblem(body)).toBeUndefined();
    const [user, assistant] = body.conversationState.history;
    expect(user.userInputMessage.images).toEqual([{ format: 'jpeg', source: { bytes: 'ZmFrZQ==' } }]);
    expect(assistant.assistantResponseMessage).toEqual({ content: '...', toolUses: [{ toolUseId: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] });
    expect(body.conversationState.currentMessage.userInputMessage).toMatchObject({
      content: 'Continue.',
      userInputMessageContext: { toolResults: [{ toolUseId: 'toolu_1', status: 'success', content: [{ text: '18 degrees' }] }] },
    });
  });

  it('merges neighbours of one role and fills in turns so the history alternates and ends on an assistant', () => {
    const body = toKiroRequest(
      {
        messages: [
          { role: 'assistant', content: 'I started.' },
          { role: 'user', content: 'one' },
          { role: 'user', content: 'two' },
          { role: 'assistant', content: 'three' },
          { role: 'assistant', content: 'four' },
        ],
      },
      'm',
    ) as Json;
    expect(conversationProblem(body)).toBeUndefined();
    const history = body.conversationState.history.map((entry: Json) => entry.userInputMessage?.content ?? `A:${entry.assistantResponseMessage.content}`);
    expect(history).toEqual(['Continue.', 'A:I started.', 'one\n\ntwo', 'A:three\n\nfour']);
    expect(body.conversationState.currentMessage.userInputMessage.content).toBe('Continue.');
  });

  it('an image it cannot carry (a URL, an unknown type) becomes a note in the text instead of a failure', () => {
    const body = toKiroRequest({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } }] }] }, 'm') as Json;
    expect(body.conversationState.currentMessage.userInputMessage.content).toBe('[image: https://example.com/cat.png]');
  });
});
