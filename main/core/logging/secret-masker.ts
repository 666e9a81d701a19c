/**
 * Masks secrets in anything that is about to be logged or shown. Two nets:
 * 1. every secret value the engine has resolved is registered here and replaced wherever it appears;
 * 2. strings shaped like well-known provider keys are masked even if nobody registered them.
 * A masked secret keeps only its last 4 characters, the way the dashboard names keys.
 */
const keyShapes = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /sk-(?:proj-|or-v1-)?[A-Za-z0-9_-]{16,}/g,
  /AIza[0-9A-Za-z_-]{30,}/g,
  /gh[pousr]_[A-Za-z0-9]{20,}/g,
  /sy-[A-Za-z0-9_-]{20,}/g,
  /(?<=[Bb]earer\s)[A-Za-z0-9._~+/=-]{16,}/g,
];

export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '****';
  return `****${secret.slice(-4)}`;
}

export class SecretMasker {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  register(secret: string): void {
    // Very short values would mask ordinary words; real keys are long.
    if (secret.length < 8 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.pattern = undefined;
  }

  mask(text: string): string {
    let result = text;
    if (this.secrets.size > 0) {
      this.pattern ??= new RegExp([...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
      result = result.replace(this.pattern, (match) => maskSecret(match));
    }
    for (const shape of keyShapes) result = result.replace(shape, (match) => maskSecret(match));
    return result;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
