// Collects one streamed reasoning block so a client encoder can wrap it in an envelope when the block ends
// (the envelope must hold the full text and signature; the deltas themselves are still forwarded live).
import type { WireFormat } from '../../../../shared/wire-format.ts';
import type { ReasoningPart } from './canonical-request.ts';

export class ReasoningAccumulator {
  private text = '';
  private readonly summary: string[] = [];
  private signature: string | undefined;

  readonly origin: WireFormat;
  readonly id: string | undefined;
  readonly redactedData: string | undefined;

  constructor(origin: WireFormat, id?: string, redactedData?: string) {
    this.origin = origin;
    this.id = id;
    this.redactedData = redactedData;
  }

  addDelta(text: string, summaryIndex: number | undefined): void {
    if (summaryIndex === undefined) {
      this.text += text;
      return;
    }
    while (this.summary.length <= summaryIndex) this.summary.push('');
    this.summary[summaryIndex] += text;
  }

  /** Signatures arrive whole (Anthropic signature_delta, OpenAI encrypted_content, Gemini thoughtSignature). */
  addSignature(signature: string): void {
    this.signature = signature;
  }

  get hasSignature(): boolean {
    return this.signature !== undefined && this.signature !== '';
  }

  toPart(): ReasoningPart {
    const part: ReasoningPart = { type: 'reasoning', origin: this.origin };
    if (this.text !== '') part.text = this.text;
    if (this.summary.length) part.summary = [...this.summary];
    if (this.id) part.id = this.id;
    if (this.redactedData !== undefined) part.redactedData = this.redactedData;
    if (this.signature) {
      if (this.origin === 'openai-responses') part.encryptedContent = this.signature;
      else part.signature = this.signature;
    }
    return part;
  }
}
