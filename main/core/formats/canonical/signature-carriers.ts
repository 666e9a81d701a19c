// Folding of carried Gemini thought signatures back onto the parts they belong to (see reasoning-envelope.ts).
// A client of another format holds a Gemini part signature in a separate reasoning item placed just before (or,
// when the signature arrived at the end of a streamed text, just after) the part it belongs to.
import type { CanonicalPart } from './canonical-request.ts';
import type { Warnings } from './warnings.ts';

export interface SignatureCarrier {
  type: 'signature_carrier';
  signature: string;
  attach: 'next' | 'previous';
}

function canHoldSignature(part: CanonicalPart | SignatureCarrier): part is Extract<CanonicalPart, { type: 'text' | 'tool_call' }> {
  return part.type === 'text' || part.type === 'tool_call';
}

export function foldSignatureCarriers(parts: (CanonicalPart | SignatureCarrier)[], warnings: Warnings): CanonicalPart[] {
  if (!parts.some((part) => part.type === 'signature_carrier')) return parts as CanonicalPart[];
  parts.forEach((part, index) => {
    if (part.type !== 'signature_carrier') return;
    const step = part.attach === 'next' ? 1 : -1;
    for (let cursor = index + step; cursor >= 0 && cursor < parts.length; cursor += step) {
      const candidate = parts[cursor]!;
      if (candidate.type === 'signature_carrier') continue;
      if (canHoldSignature(candidate)) {
        candidate.thoughtSignature = part.signature;
        return;
      }
      if (candidate.type !== 'reasoning') break;
    }
    warnings.add('A carried Gemini thought signature had no text or function call next to it in the history; dropped.');
  });
  return parts.filter((part): part is CanonicalPart => part.type !== 'signature_carrier');
}
