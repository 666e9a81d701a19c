import type { SecretStore } from './secret-store.ts';

/** The part of keytar this store uses; the real module is passed in (the app, or headless serve loading the optional native module), fakes in unit tests. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/** The service name entries are filed under (macOS Keychain "Where", Secret Service attribute "service"). */
export const keychainService = 'Switchyard';

/** Longest secret id accepted: ids end up as keychain attributes and in settings, never as free text. */
const maxIdLength = 200;

export class KeychainUnavailableError extends Error {
  constructor(operation: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `The OS keychain could not ${operation} (${detail}). On Linux Switchyard needs a running, unlocked Secret Service ` +
        '(GNOME Keyring or KWallet); on macOS and Windows it uses the login keychain / Credential Manager.',
      { cause },
    );
    this.name = 'KeychainUnavailableError';
  }
}

function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > maxIdLength || /[\u0000-\u001f]/.test(id)) {
    throw new TypeError(`A secret id must be 1-${maxIdLength} printable characters`);
  }
}

/**
 * SecretStore on the OS keychain through keytar: macOS Keychain, Windows Credential Manager, the freedesktop Secret
 * Service on Linux. One entry per secret id, all under one service name. Errors from the keychain become
 * KeychainUnavailableError, whose message never contains a secret (keytar's own messages do not either).
 */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'OS keychain';
  readonly service: string;
  readonly #keytar: KeytarApi;

  constructor(keytar: KeytarApi, service = keychainService) {
    this.#keytar = keytar;
    this.service = service;
  }

  async get(id: string): Promise<string | undefined> {
    checkId(id);
    const value = await this.#call('read a secret', () => this.#keytar.getPassword(this.service, id));
    return value ?? undefined;
  }

  async set(id: string, secret: string): Promise<void> {
    checkId(id);
    if (typeof secret !== 'string' || secret.length === 0) throw new TypeError('A secret cannot be empty');
    await this.#call('store a secret', () => this.#keytar.setPassword(this.service, id, secret));
  }

  async delete(id: string): Promise<boolean> {
    checkId(id);
    return this.#call('delete a secret', () => this.#keytar.deletePassword(this.service, id));
  }

  /** Ids only; the secrets keytar returns alongside are dropped here. */
  async list(): Promise<string[]> {
    const entries = await this.#call('list secrets', () => this.#keytar.findCredentials(this.service));
    return entries.map((entry) => entry.account).sort();
  }

  /** Throws KeychainUnavailableError when the keychain cannot be reached (used at startup to warn early). */
  async probe(): Promise<void> {
    await this.list();
  }

  async #call<T>(operation: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw new KeychainUnavailableError(operation, error);
    }
  }
}
