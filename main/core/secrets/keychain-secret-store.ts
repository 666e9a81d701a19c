import type { SecretStore } from './secret-store.ts';

/** The part of keytar used here (the module is loaded at run time: it is optional and native). */
export interface KeytarFunctions {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/** Entries are filed under this service name, the same one the desktop app uses, so both see the same keys. */
export const keychainServiceName = 'Switchyard';

/**
 * Headless `serve` on the OS keychain (Secret Service on a Linux desktop session, Keychain on macOS, Credential
 * Manager on Windows). The desktop app has its own store in main/app with the same service name and entry layout.
 */
export class HeadlessKeychainStore implements SecretStore {
  readonly kind = 'OS keychain';
  readonly #keytar: KeytarFunctions;

  constructor(keytar: KeytarFunctions) {
    this.#keytar = keytar;
  }

  async get(id: string): Promise<string | undefined> {
    return (await this.#keytar.getPassword(keychainServiceName, id)) ?? undefined;
  }

  async set(id: string, secret: string): Promise<void> {
    await this.#keytar.setPassword(keychainServiceName, id, secret);
  }

  async delete(id: string): Promise<boolean> {
    return this.#keytar.deletePassword(keychainServiceName, id);
  }

  async list(): Promise<string[]> {
    return (await this.#keytar.findCredentials(keychainServiceName)).map((entry) => entry.account).sort();
  }
}
