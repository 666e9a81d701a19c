import type { IncomingHttpHeaders } from 'node:http';
import type { WireFormat } from '../../../shared/wire-format.ts';

/** What the client asked of a model: chat generation, a token count, embeddings, or images (docs/clients.md). */
export type ModelOperation = 'generate' | 'countTokens' | 'embed' | 'generateImage';

/** A client request for a model, parsed and validated by its route, ready for the pipeline. */
export interface ModelRequest {
  /** The client's wire format (which inbound API it called). */
  format: WireFormat;
  operation: ModelOperation;
  /** Gemini's :embedContent (one content, one `embedding` back) rather than :batchEmbedContents. */
  singleContent?: boolean;
  /** The body exactly as received; passthrough sends these bytes. */
  rawBody: Buffer;
  body: Record<string, unknown>;
  /** The model the client asked for: `provider-id/model`, a combo name or a bare name. */
  model: string;
  stream: boolean;
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
}
