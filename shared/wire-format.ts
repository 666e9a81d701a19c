/** The four API wire formats Switchyard speaks, inbound (clients) and outbound (providers). */
export const wireFormats = ['anthropic', 'openai-chat', 'openai-responses', 'gemini'] as const;
export type WireFormat = (typeof wireFormats)[number];
