/**
 * Where secrets live. The desktop app implements this with the OS keychain (keytar, in main/app); headless
 * `serve` reads environment variables and the data dir; tests use the memory store. Settings and config files only
 * ever hold references (see shared/config/secret-ref-schema.ts).
 */
export interface SecretStore {
  /** Human-readable name for messages ("OS keychain", "environment"). */
  readonly kind: string;
  get(id: string): Promise<string | undefined>;
  set(id: string, secret: string): Promise<void>;
  delete(id: string): Promise<boolean>;
  list(): Promise<string[]>;
}

export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  private readonly values = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [id, secret] of Object.entries(initial)) this.values.set(id, secret);
  }

  async get(id: string): Promise<string | undefined> {
    return this.values.get(id);
  }

  async set(id: string, secret: string): Promise<void> {
    this.values.set(id, secret);
  }

  async delete(id: string): Promise<boolean> {
    return this.values.delete(id);
  }

  async list(): Promise<string[]> {
    return [...this.values.keys()];
  }
}
