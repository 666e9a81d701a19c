import { randomBytes } from 'node:crypto';
import { statSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sameDigest, secretDigest } from '../secrets/secret-digest.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { writeDurably } from './durable-file.ts';
import { generateSecret } from './local-credentials.ts';

export const namedClientKeysFileName = 'client-keys.json';

/** What may be shown about a named client key: never the secret, only its last four characters. */
export interface NamedClientKeyInfo {
  id: string;
  name: string;
  /** ISO time of creation. */
  created: string;
  last4: string;
}

interface StoredKey extends NamedClientKeyInfo {
  /** SHA-256 of the secret (hex). A digest of 256 random bits reveals nothing usable; it lets the engine check keys without the secret. */
  sha256: string;
}

interface StoredFile {
  version: 1;
  keys: StoredKey[];
}

/** The SecretStore id under which a named key's secret is kept (so a dashboard can test the tool with its own key). */
export function namedClientKeySecretId(id: string): string {
  return `client-key.${id}`;
}

/**
 * Client keys of their own per tool ("claude-code", "codex", ...), kept beside the generated key in the data dir:
 * `<dataDir>/client-keys.json` (0600) holds id, name, creation time, last four characters and the SHA-256 of each
 * key; the secret itself goes to the SecretStore when one is given. Revoking one leaves the others working.
 *
 * Several processes share the file (the engine, `switchyard clients`, the app): `matches` re-reads it whenever its
 * size, inode or modification time changed, so a key created or revoked elsewhere counts on the very next request.
 */
export class NamedClientKeys {
  readonly path: string;
  private readonly secrets: SecretStore | undefined;
  private readonly now: () => number;
  private cache: { signature: string; keys: StoredKey[]; digests: string[] } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, options: { secrets?: SecretStore; now?: () => number } = {}) {
    this.path = join(dataDir, namedClientKeysFileName);
    this.secrets = options.secrets;
    this.now = options.now ?? Date.now;
  }

  private signature(): string {
    try {
      const info = statSync(this.path, { bigint: true });
      return `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
      throw error;
    }
  }

  private load(): StoredKey[] {
    const signature = this.signature();
    if (this.cache?.signature === signature) return this.cache.keys;
    let keys: StoredKey[] = [];
    if (signature !== 'absent') {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<StoredFile>;
      if (!Array.isArray(parsed.keys)) throw new Error(`${this.path}: "keys" is not a list`);
      keys = parsed.keys.filter((key): key is StoredKey => typeof key?.id === 'string' && typeof key.sha256 === 'string' && /^[0-9a-f]{64}$/.test(key.sha256));
    }
    this.cache = { signature, keys, digests: keys.map((key) => String(key.sha256).toLowerCase()) };
    return keys;
  }

  /** Constant-time check of a presented key against every named key (no early exit). An unreadable file accepts nothing. */
  matches(presented: string | undefined): boolean {
    return this.find(presented) !== undefined;
  }

  /** The named key a presented secret belongs to, if it is one. */
  find(presented: string | undefined): NamedClientKeyInfo | undefined {
    if (presented === undefined || presented === '') return undefined;
    let keys: StoredKey[];
    try {
      keys = this.load();
    } catch {
      return undefined;
    }
    const candidate = secretDigest(presented);
    let found: StoredKey | undefined;
    const digests = this.cache?.digests ?? [];
    for (const [index, known] of digests.entries()) if (sameDigest(known, candidate) && found === undefined) found = keys[index];
    return found === undefined ? undefined : publicInfo(found);
  }

  list(): NamedClientKeyInfo[] {
    return this.load().map(publicInfo);
  }

  /** Creates a key named `name` (a tool id such as "claude-code"); returns it once, with its secret. */
  create(name: string): Promise<NamedClientKeyInfo & { secret: string }> {
    const cleaned = name.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(cleaned)) {
      return Promise.reject(new Error(`A client key name is 1 to 64 letters, digits, spaces, dots, dashes or underscores, not "${name}".`));
    }
    return this.serial(async () => {
      const keys = this.load();
      const secret = generateSecret('sy');
      const key: StoredKey = {
        id: `ck-${randomBytes(6).toString('hex')}`,
        name: cleaned,
        created: new Date(this.now()).toISOString(),
        last4: secret.slice(-4),
        sha256: secretDigest(secret),
      };
      // The secret is stored before the key is listed: a listed key whose secret is lost would be useless.
      await this.secrets?.set(namedClientKeySecretId(key.id), secret);
      await this.save([...keys, key]);
      return { ...publicInfo(key), secret };
    });
  }

  /** Revokes the key with this id, or every key with this name. Resolves to the keys revoked (none: nothing matched). */
  revoke(idOrName: string): Promise<NamedClientKeyInfo[]> {
    return this.serial(async () => {
      const keys = this.load();
      const revoked = keys.filter((key) => key.id === idOrName || key.name === idOrName);
      if (revoked.length === 0) return [];
      await this.save(keys.filter((key) => !revoked.includes(key)));
      for (const key of revoked) await this.secrets?.delete(namedClientKeySecretId(key.id));
      return revoked.map(publicInfo);
    });
  }

  /** The secret of a named key, when a SecretStore was given and still holds it. */
  async secret(id: string): Promise<string | undefined> {
    return this.secrets?.get(namedClientKeySecretId(id));
  }

  private async save(keys: StoredKey[]): Promise<void> {
    await mkdir(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const file: StoredFile = { version: 1, keys };
    await writeDurably(this.path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
    this.cache = undefined;
  }

  /** Read-modify-write steps in this process run one at a time, so two creates at once cannot lose a key. */
  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => {});
    return next;
  }
}

function publicInfo(key: StoredKey): NamedClientKeyInfo {
  return { id: key.id, name: key.name, created: key.created, last4: key.last4 };
}
