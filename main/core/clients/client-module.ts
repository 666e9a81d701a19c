import { configurableClientIds } from '../../../shared/client-ids.ts';

/** The tools `switchyard clients` can point at Switchyard (their one list is shared/client-ids.ts). */
export const clientIds = configurableClientIds;
export type ClientId = (typeof clientIds)[number];

export function isClientId(value: string): value is ClientId {
  return (clientIds as readonly string[]).includes(value);
}

/** Where a configured tool should send its requests: the running Switchyard's origin and the tool's own key. */
export interface SwitchyardTarget {
  /** `http://127.0.0.1:8787` — no path; each client adds what its SDK expects (Codex: `/v1`). */
  origin: string;
  key: string;
}

/** One file of a client as it is on disk: its text, or undefined when it does not exist. */
export interface ClientFileText {
  path: string;
  text: string | undefined;
}

/** What a client's files say about where it sends requests. */
export interface ClientReading {
  /** The base URL the tool uses; undefined when it uses its built-in default (its vendor). */
  baseUrl: string | undefined;
  /** The key the files give the tool, if any (never printed; compared with the named client keys). */
  key: string | undefined;
  /** Settings in the files that would defeat the configuration (an API key that wins over ours, a login). */
  warnings: string[];
}

/**
 * Everything Switchyard knows about one tool's configuration files. Pure: `read` and `edit` get the files' text and
 * return text; reading and writing the disk, backups and undo are the same for every tool (configure-client.ts).
 */
export interface ClientModule {
  id: ClientId;
  displayName: string;
  /** The command the tool installs, looked up on PATH. */
  executable: string;
  /** Its folder in the home directory (`.claude`), whose presence also counts as installed. */
  homeFolder: string;
  /** Hosts of the vendor's own API: a base URL there counts as "points at its vendor". */
  vendorHosts: readonly string[];
  /** Absolute paths of the files Switchyard edits, always in the same order. */
  files(home: string): string[];
  /** Throws MalformedClientFileError when a file cannot be understood. */
  read(files: readonly ClientFileText[]): ClientReading;
  /** The new text of each file (same order as `files`), changing only the keys Switchyard owns. */
  edit(files: readonly ClientFileText[], target: SwitchyardTarget): string[];
  /** What Switchyard writes, in words, for `--help`, plans and docs. */
  owns: readonly string[];
}

/** A client file Switchyard cannot safely read or edit; the file is left as it is. */
export class MalformedClientFileError extends Error {
  readonly path: string;
  readonly line: number | undefined;
  readonly problem: string;

  constructor(path: string, line: number | undefined, problem: string) {
    super(`${path}${line === undefined ? '' : `:${line}`}: ${problem}. The file was left untouched; fix it (or move it away) and try again.`);
    this.name = 'MalformedClientFileError';
    this.path = path;
    this.line = line;
    this.problem = problem;
  }
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index += 1) if (text.charCodeAt(index) === 10) line += 1;
  return line;
}

/** The one file of a tool that has one (Claude Code, Codex). */
export function singleFile(files: readonly ClientFileText[], tool: string): ClientFileText {
  const [file] = files;
  if (!file || files.length !== 1) throw new Error(`${tool} has one settings file`);
  return file;
}
