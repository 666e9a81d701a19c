import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AccountRecord } from './account-record.ts';

export const accountsFileName = 'accounts.json';

interface AccountsDocument {
  version: 1;
  accounts: AccountRecord[];
}

/**
 * The list of signed-in accounts (`<data dir>/accounts.json`), without tokens. It is its own file so that an
 * account added in the terminal is served by the next `serve` even when its settings come from a hand-written
 * `--config` file, which Switchyard never rewrites. Writes are atomic and one at a time.
 */
export class AccountRegistry {
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, accountsFileName);
  }

  async list(): Promise<AccountRecord[]> {
    return (await this.#read()).accounts;
  }

  async get(id: string): Promise<AccountRecord | undefined> {
    return (await this.list()).find((account) => account.id === id);
  }

  /** Adds the account, or replaces the record of the same vendor account on the same provider (a second sign-in). */
  upsert(record: AccountRecord): Promise<{ record: AccountRecord; updated: boolean }> {
    return this.#serial(async () => {
      const document = await this.#read();
      const index = document.accounts.findIndex(
        (account) => account.providerId === record.providerId && account.kind === record.kind && account.vendorAccountId === record.vendorAccountId,
      );
      if (index >= 0) {
        const previous = document.accounts[index]!;
        const merged = { ...record, id: previous.id, addedAt: previous.addedAt };
        document.accounts[index] = merged;
        await this.#write(document);
        return { record: merged, updated: true };
      }
      let id = record.id;
      for (let suffix = 2; document.accounts.some((account) => account.id === id); suffix += 1) id = `${record.id}-${suffix}`;
      const added = { ...record, id };
      document.accounts.push(added);
      await this.#write(document);
      return { record: added, updated: false };
    });
  }

  update(id: string, patch: Partial<Omit<AccountRecord, 'id' | 'kind' | 'providerId'>>): Promise<AccountRecord | undefined> {
    return this.#serial(async () => {
      const document = await this.#read();
      const account = document.accounts.find((candidate) => candidate.id === id);
      if (!account) return undefined;
      Object.assign(account, patch, { updatedAt: new Date().toISOString() });
      if (patch.state === 'ready') delete account.stateReason;
      await this.#write(document);
      return account;
    });
  }

  remove(id: string): Promise<AccountRecord | undefined> {
    return this.#serial(async () => {
      const document = await this.#read();
      const account = document.accounts.find((candidate) => candidate.id === id);
      if (!account) return undefined;
      document.accounts = document.accounts.filter((candidate) => candidate.id !== id);
      await this.#write(document);
      return account;
    });
  }

  async #read(): Promise<AccountsDocument> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, accounts: [] };
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<AccountsDocument>;
    if (parsed.version !== 1 || !Array.isArray(parsed.accounts)) throw new Error(`${this.path} is not a Switchyard accounts file (version 1).`);
    return { version: 1, accounts: parsed.accounts };
  }

  async #write(document: AccountsDocument): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.path);
  }

  #serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(step, step);
    this.#queue = next.catch(() => {});
    return next;
  }
}
