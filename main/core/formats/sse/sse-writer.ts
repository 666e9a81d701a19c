// Serialising events for clients. One JSON.stringify per event, no pretty printing.

/** A named event: `event: <name>` + `data: <json>` (Anthropic, OpenAI Responses). */
export function namedSseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An unnamed data-only event (OpenAI Chat, Gemini). */
export function dataSseEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}
