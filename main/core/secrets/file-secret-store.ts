import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SecretStore } from './secret-store.ts';

/**
 * Headless fallback when no OS keychain answers (a server without a Secret Service): secrets in one JSON file,
 * mode 0600, in a 0700 data dir, written atomically. It protects against other users on the machine, not against
 * this user or root; docs/security.md says so and when it is used. Same file format as credentials.json.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file in the data dir (0600)';
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  async #read(): Promise<Record<string, string>> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`${this.path} cannot be read (${(error as Error).message})`, { cause: error });
    }
  }

  async #write(values: Record<string, string>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.path);
    await chmod(this.path, 0o600).catch(() => {});
  }

  /** Read-modify-write steps run one at a time, so two pastes at once cannot lose a key. */
  #serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(step, step);
    this.#queue = next.catch(() => {});
    return next;
  }

  async get(id: string): Promise<string | undefined> {
    return (await this.#read())[id];
  }

  set(id: string, secret: string): Promise<void> {
    return this.#serial(async () => {
      const values = await this.#read();
      values[id] = secret;
      await this.#write(values);
    });
  }

  delete(id: string): Promise<boolean> {
    return this.#serial(async () => {
      const values = await this.#read();
      if (!(id in values)) return false;
      delete values[id];
      await this.#write(values);
      return true;
    });
  }

  async list(): Promise<string[]> {
    return Object.keys(await this.#read()).sort();
  }
}
