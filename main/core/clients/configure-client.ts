import { mkdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { modeIfExists, readIfExists, writeDurably } from '../config/durable-file.ts';
import type { ClientBackups, ClientJournal } from './client-backups.ts';
import { sha256 } from './client-backups.ts';
import type { ClientFileText, ClientId, ClientModule, SwitchyardTarget } from './client-module.ts';

/** One file of a planned change: the text before (undefined: absent) and after, for a diff. */
export interface PlannedFile {
  path: string;
  before: string | undefined;
  after: string;
  changed: boolean;
}

export interface ClientPlan {
  client: ClientId;
  files: PlannedFile[];
  /** false: the files already say exactly this (configure is then a no-op). */
  changed: boolean;
  warnings: string[];
}

export async function readClientFiles(module: ClientModule, home: string): Promise<ClientFileText[]> {
  return Promise.all(module.files(home).map(async (path) => ({ path, text: (await readIfExists(path))?.toString('utf8') })));
}

/** What configure would write. Pure apart from reading the files; throws MalformedClientFileError. */
export async function planClientChange(module: ClientModule, home: string, target: SwitchyardTarget): Promise<ClientPlan> {
  const files = await readClientFiles(module, home);
  const reading = module.read(files);
  const after = module.edit(files, target);
  const planned = files.map((file, index) => {
    const text = after[index] ?? '';
    return { path: file.path, before: file.text, after: text, changed: text !== file.text };
  });
  return { client: module.id, files: planned, changed: planned.some((file) => file.changed), warnings: reading.warnings };
}

/** Test seam: runs between the durable backup and the first write to a client file (a crash there must be undoable). */
export interface ApplyHooks {
  afterBackup?: () => void | Promise<void>;
}

/** What the caller wants recorded in the journal with the backup. */
export interface ApplyRecord {
  /** The client key the new files hold. */
  keyId?: string;
}

async function missingFolders(path: string): Promise<string[]> {
  const missing: string[] = [];
  for (let folder = dirname(path); folder !== dirname(folder); folder = dirname(folder)) {
    try {
      await stat(folder);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(folder);
    }
  }
  return missing;
}

/**
 * Writes a plan. Order, for crash safety: (1) on the first configure, byte-exact backups of the files as they are,
 * then the journal naming them (both fsynced); (2) each client file replaced atomically; (3) the journal marked
 * applied. A later configure keeps the first backups: undo always returns to the state before Switchyard.
 * Files that changed since the plan was made are not overwritten (plan again).
 */
export async function applyClientPlan(plan: ClientPlan, backups: ClientBackups, hooks: ApplyHooks = {}, record: ApplyRecord = {}): Promise<void> {
  for (const file of plan.files) {
    const now = (await readIfExists(file.path))?.toString('utf8');
    if (now !== file.before) throw new Error(`${file.path} changed since the change was planned; nothing was written. Try again.`);
  }
  if (!plan.changed) return;

  let journal = await backups.readJournal(plan.client);
  const journalPaths = journal?.files.map((file) => file.path).join('\n');
  if (journal && journalPaths !== plan.files.map((file) => file.path).join('\n')) {
    throw new Error(`Switchyard already configured ${plan.client} in ${journal.files[0]?.path ?? 'another folder'} and keeps one backup per tool: undo that first (switchyard clients undo ${plan.client} --home <that home>).`);
  }
  const createdFolders = new Set(journal?.createdFolders ?? []);
  for (const file of plan.files) for (const folder of await missingFolders(file.path)) createdFolders.add(folder);
  if (!journal) {
    const originals = await Promise.all(plan.files.map(async (file) => ({ path: file.path, bytes: await readIfExists(file.path), mode: await modeIfExists(file.path) })));
    const files = await backups.backUp(plan.client, originals);
    journal = { version: 1, client: plan.client, state: 'applying', backedUpAt: new Date().toISOString(), files, createdFolders: [...createdFolders], written: {} };
  } else {
    journal = { ...journal, state: 'applying', createdFolders: [...createdFolders] };
  }
  if (record.keyId !== undefined && !(journal.keyIds ?? []).includes(record.keyId)) journal = { ...journal, keyIds: [...(journal.keyIds ?? []), record.keyId] };
  await backups.writeJournal(journal);
  await hooks.afterBackup?.();

  const written: Record<string, string> = { ...journal.written };
  for (const file of plan.files) {
    if (!file.changed) continue;
    await mkdir(dirname(file.path), { recursive: true, mode: 0o700 });
    // A file of the user's keeps its permissions; one Switchyard creates holds a key, so only the user may read it.
    await writeDurably(file.path, file.after, (await modeIfExists(file.path)) ?? 0o600);
    written[file.path] = sha256(file.after);
  }
  for (const file of plan.files) if (!file.changed && file.before !== undefined) written[file.path] ??= sha256(file.before);
  await backups.writeJournal({ ...journal, state: 'applied', written });
}

export interface UndoResult {
  restored: string[];
  removed: string[];
  /** Files the user changed after Switchyard wrote them, each with where that later version was kept. */
  changedSince: Array<{ path: string; keptAt: string }>;
  /** The client keys configure made for these files (to revoke now that nothing uses them). */
  keyIds: string[];
}

/**
 * Puts every file back exactly as it was before the first configure (or removes it when Switchyard created it),
 * then drops the backups. Safe to run again after a crash half-way: the backups go only once all is restored.
 */
export async function undoClientChange(client: ClientId, backups: ClientBackups): Promise<UndoResult | undefined> {
  const journal: ClientJournal | undefined = await backups.readJournal(client);
  if (!journal) return undefined;
  const result: UndoResult = { restored: [], removed: [], changedSince: [], keyIds: journal.keyIds ?? [] };
  for (const file of journal.files) {
    const current = await readIfExists(file.path);
    const lastWritten = journal.written[file.path];
    if (current !== undefined && lastWritten !== undefined && sha256(current) !== lastWritten) {
      result.changedSince.push({ path: file.path, keptAt: await backups.keepReplaced(client, file.path, current, new Date()) });
    }
    if (file.existed) {
      const original = await backups.original(client, file);
      if (current === undefined || !current.equals(original)) await writeDurably(file.path, original, file.mode ?? 0o600);
      result.restored.push(file.path);
    } else {
      if (current !== undefined) await rm(file.path, { force: true });
      result.removed.push(file.path);
    }
  }
  // Deepest first; a folder that now holds anything else (the tool's own files) stays.
  for (const folder of [...journal.createdFolders].sort((left, right) => right.length - left.length)) await rmdir(folder).catch(() => {});
  await backups.discard(client);
  return result;
}
