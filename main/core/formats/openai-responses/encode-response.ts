// Canonical response -> OpenAI Responses response object for a Responses client.
import type { CanonicalResponse, CanonicalStopReason, CanonicalUsage } from '../canonical/canonical-response.ts';
import type { EncodeResponseOptions } from '../codec.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { clientToolName, isClientCustomTool } from '../canonical/client-tools.ts';
import { newId, nowSeconds } from '../canonical/ids.ts';
import { encodeAssistantItems } from './encode-items.ts';
import { statusForStopReason, usageToResponses } from './responses-vocabulary.ts';

/** The response object shared by the non-streaming body and the stream's lifecycle events. */
export function responseObject(args: {
  id: string;
  createdAt: number;
  model: string;
  status: string;
  output: JsonObject[];
  usage: CanonicalUsage | undefined;
  stopReason?: CanonicalStopReason;
  error?: JsonObject | null;
}): JsonObject {
  const stop = args.stopReason ? statusForStopReason(args.stopReason) : undefined;
  return {
    id: args.id,
    object: 'response',
    created_at: args.createdAt,
    status: stop && args.status === 'completed' ? stop.status : args.status,
    error: args.error ?? null,
    incomplete_details: stop?.incomplete_details ?? null,
    instructions: null,
    model: args.model,
    output: args.output,
    parallel_tool_calls: true,
    temperature: null,
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    usage: args.usage && args.status !== 'in_progress' ? usageToResponses(args.usage) : null,
    metadata: {},
  };
}

export function encodeResponsesResponse(response: CanonicalResponse, options: EncodeResponseOptions): JsonObject {
  const output = encodeAssistantItems(response.content, {
    warnings: options.warnings,
    side: 'client',
    foreignReasoning: 'carry',
    toolCallId: (id) => id,
    toolName: (name) => clientToolName(name, options),
    isCustomTool: (name) => options.customTools.includes(name) || isClientCustomTool(name, options),
  });
  return responseObject({
    id: response.id?.startsWith('resp_') ? response.id : newId('resp_'),
    createdAt: nowSeconds(),
    model: options.model,
    status: 'completed',
    output,
    usage: response.usage,
    stopReason: response.stopReason,
  });
}
