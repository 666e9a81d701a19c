import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readIfExists, writeDurably } from '../config/durable-file.ts';
import type { ClientId } from './client-module.ts';

export const clientBackupsFolderName = 'client-backups';

/** One client file as it was before Switchyard first touched it. */
export interface BackedUpFile {
  path: string;
  /** false: the file did not exist, so undo removes it. */
  existed: boolean;
  /** Permission bits of the original. */
  mode?: number;
  /** File name of the byte-exact copy inside the client's backup folder. */
  backup?: string;
  sha256?: string;
}

/**
 * The journal of one client: written (atomically, fsynced) after the backups and before any client file is
 * touched, so after a crash at any point `undo` knows exactly what to restore. It lives in the data dir, which
 * survives uninstalling and reinstalling the app.
 */
export interface ClientJournal {
  version: 1;
  client: ClientId;
  /** "applying": a configure started (and may have stopped half-way); "applied": it finished. */
  state: 'applying' | 'applied';
  /** ISO time of the first configure, when the backups were taken. */
  backedUpAt: string;
  files: BackedUpFile[];
  /** Folders Switchyard created for files that did not exist (removed on undo when empty). */
  createdFolders: string[];
  /** SHA-256 of each file as Switchyard last wrote it, to tell whether the user changed it since. */
  written: Record<string, string>;
  /**
   * Ids of the client keys configure made for these files, recorded before the files are written: a configure
   * killed half-way must not leave a working key behind that nothing lists (undo revokes them).
   */
  keyIds?: string[];
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class ClientBackups {
  readonly folder: string;

  constructor(dataDir: string) {
    this.folder = join(dataDir, clientBackupsFolderName);
  }

  clientFolder(client: ClientId): string {
    return join(this.folder, client);
  }

  private journalPath(client: ClientId): string {
    return join(this.clientFolder(client), 'journal.json');
  }

  async readJournal(client: ClientId): Promise<ClientJournal | undefined> {
    const path = this.journalPath(client);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const journal = JSON.parse(text) as ClientJournal;
    if (journal.version !== 1 || !Array.isArray(journal.files)) throw new Error(`${path} is not a journal this version of Switchyard understands`);
    return journal;
  }

  async writeJournal(journal: ClientJournal): Promise<void> {
    await mkdir(this.clientFolder(journal.client), { recursive: true, mode: 0o700 });
    await writeDurably(this.journalPath(journal.client), `${JSON.stringify(journal, null, 2)}\n`, 0o600);
  }

  /** Byte-exact copies of the originals, durable before the journal that names them is written. */
  async backUp(client: ClientId, originals: ReadonlyArray<{ path: string; bytes: Buffer | undefined; mode: number | undefined }>): Promise<BackedUpFile[]> {
    await mkdir(this.clientFolder(client), { recursive: true, mode: 0o700 });
    const files: BackedUpFile[] = [];
    for (const [index, original] of originals.entries()) {
      if (original.bytes === undefined) {
        files.push({ path: original.path, existed: false });
        continue;
      }
      const backup = `file-${index}.orig`;
      await writeDurably(join(this.clientFolder(client), backup), original.bytes, 0o600);
      files.push({ path: original.path, existed: true, mode: original.mode, backup, sha256: sha256(original.bytes) });
    }
    return files;
  }

  /** The original bytes of a backed-up file; refuses a copy that does not match its recorded hash. */
  async original(client: ClientId, file: BackedUpFile): Promise<Buffer> {
    if (!file.backup) throw new Error(`${file.path} did not exist before; there are no bytes to restore`);
    const bytes = await readIfExists(join(this.clientFolder(client), file.backup));
    if (bytes === undefined || (file.sha256 !== undefined && sha256(bytes) !== file.sha256)) {
      throw new Error(`The backup of ${file.path} in ${this.clientFolder(client)} is missing or damaged; nothing was restored.`);
    }
    return bytes;
  }

  /**
   * Keeps a copy of a file as it is now, before undo replaces it: edits the user made after configure are not lost.
   * Outside the tool's backup folder, which undo removes. Returns where the copy went.
   */
  async keepReplaced(client: ClientId, path: string, bytes: Buffer, now: Date): Promise<string> {
    const folder = join(this.folder, 'replaced-by-undo');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const copy = join(folder, `${client}-${now.toISOString().replace(/[:.]/g, '-')}-${basename(path)}`);
    await writeDurably(copy, bytes, 0o600);
    return copy;
  }

  async discard(client: ClientId): Promise<void> {
    await rm(this.clientFolder(client), { recursive: true, force: true });
  }
}
