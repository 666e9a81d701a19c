import { describe, expect, it } from 'vitest';
import { copilotAdapter, copilotBodyHeaders } from './adapter.ts';

describe('the Copilot adapter', () => {
  it('sends the Copilot token with the editor headers to /chat/completions of the account endpoint', () => {
    const prepared = copilotAdapter.prepare({ endpoint: copilotAdapter.endpoint('https://api.individual.githubcopilot.com'), format: 'openai-chat', operation: 'generate', model: 'gpt-4.1', stream: true, credential: 'fake-copilot-token', clientHeaders: {} });
    expect(prepared.path).toBe('/chat/completions');
    expect(prepared.headers).toMatchObject({ authorization: 'Bearer fake-copilot-token', 'copilot-integration-id': 'vscode-chat', 'x-github-api-version': '2025-04-01', 'x-initiator': 'user', accept: 'text/event-stream' });
    expect(prepared.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('X-Initiator is agent once the conversation holds an assistant or tool turn; images ask for vision', () => {
    const body = (messages: unknown[]) => Buffer.from(JSON.stringify({ messages }));
    expect(copilotBodyHeaders(body([{ role: 'user', content: 'hi' }]))).toEqual({ 'x-initiator': 'user' });
    expect(copilotBodyHeaders(body([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'x' }, { role: 'tool', content: '1' }]))['x-initiator']).toBe('agent');
    expect(copilotBodyHeaders(body([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:' } }] }]))).toEqual({ 'x-initiator': 'user', 'copilot-vision-request': 'true' });
    expect(copilotBodyHeaders(Buffer.from('not json'))).toEqual({ 'x-initiator': 'user' });
  });
});
