import { readFile } from 'node:fs/promises';
import type { SettingsDocument } from '../../../shared/settings/settings-schema.ts';

/**
 * Where the settings document lives: conf headless (conf-settings-store.ts), electron-store in the desktop app
 * (main/app), memory in tests. A store reads and writes whole JSON documents and knows nothing of their meaning;
 * migration, validation and the masked-secret check happen in settings-file.ts, the same for every store.
 */
export interface SettingsStore {
  /** For messages: a path, or a short description of where the settings are. */
  readonly location: string;
  /** Set when the settings cannot be changed from the UI, with the reason shown to the user. */
  readonly readOnlyReason?: string;
  /** The stored document as it is on disk, or undefined when nothing was stored yet. */
  read(): Promise<unknown>;
  write(document: SettingsDocument): Promise<void>;
}

export class MemorySettingsStore implements SettingsStore {
  readonly location = 'memory';
  private document: unknown;
  writes = 0;

  constructor(initial?: unknown) {
    this.document = initial === undefined ? undefined : structuredClone(initial);
  }

  async read(): Promise<unknown> {
    return this.document === undefined ? undefined : structuredClone(this.document);
  }

  async write(document: SettingsDocument): Promise<void> {
    this.document = structuredClone(document);
    this.writes += 1;
  }
}

/** Settings that come from somewhere the UI must not rewrite (a fixed document; see ConfigFileSettingsStore for files). */
export class ReadOnlySettingsStore implements SettingsStore {
  readonly location: string;
  readonly readOnlyReason: string;
  private readonly document: unknown;

  constructor(document: unknown, location: string, readOnlyReason: string) {
    this.document = structuredClone(document);
    this.location = location;
    this.readOnlyReason = readOnlyReason;
  }

  async read(): Promise<unknown> {
    return structuredClone(this.document);
  }

  async write(): Promise<void> {
    throw new Error(this.readOnlyReason);
  }
}

/**
 * A hand-written `serve --config` file: read afresh on every read (serve applies edits to it live, so the dashboard
 * shows them), never written.
 */
export class ConfigFileSettingsStore implements SettingsStore {
  readonly location: string;
  readonly readOnlyReason: string;

  constructor(path: string, readOnlyReason: string) {
    this.location = path;
    this.readOnlyReason = readOnlyReason;
  }

  async read(): Promise<unknown> {
    const text = await readFile(this.location, 'utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new Error(`not valid JSON (${(error as Error).message})`, { cause: error });
    }
  }

  async write(): Promise<void> {
    throw new Error(this.readOnlyReason);
  }
}
