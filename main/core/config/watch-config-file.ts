import { watch, watchFile, unwatchFile } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { Logger } from '../logging/logger.ts';
import { ConfigError, parseConfigText } from './load-config.ts';
import { RuntimeConfigError } from './runtime-config.ts';

/** What the watcher needs of the engine. */
export interface ReloadTarget {
  readonly config: SwitchyardConfig;
  applyConfig(config: SwitchyardConfig): Promise<void>;
}

export interface ConfigWatcher {
  close(): void;
  /** Resolves when the change being processed (if any) has been applied or refused (for tests). */
  settled(): Promise<void>;
}

export type ReloadOutcome = { kind: 'applied' } | { kind: 'unchanged' } | { kind: 'refused'; problems: string[] };

/**
 * Watches the config file `serve --config` started with (docs/routing.md "Live switching"). A valid change is
 * applied live through `applyConfig`; requests in flight finish on the config they started with. An invalid change
 * (bad JSON, schema errors, an unresolvable secret) is refused with every problem logged, and the old config keeps
 * serving. The directory is watched, not the file, because editors save by writing a new file and renaming it.
 *
 * An active combo switched at run time (combos.activate with read-only settings) survives reloads that leave the file's own
 * `activeCombo` as it was; editing `activeCombo` in the file switches it.
 */
export function watchConfigFile(
  path: string,
  engine: ReloadTarget,
  logger: Logger,
  options: { debounceMs?: number; onReload?: (outcome: ReloadOutcome) => void } = {},
): ConfigWatcher {
  const debounceMs = options.debounceMs ?? 200;
  let fileActiveCombo = engine.config.activeCombo;
  let lastText: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  async function reload(): Promise<ReloadOutcome> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      // Mid-rename or deleted: the next event (or the file coming back) triggers another look.
      return { kind: 'refused', problems: [`(file): cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
    }
    if (text === lastText) return { kind: 'unchanged' };
    lastText = text;
    let fromFile: string | undefined;
    let next: SwitchyardConfig;
    try {
      const validated = parseConfigText(text, path);
      for (const warning of validated.warnings) logger.warn(`config: ${warning}`);
      next = validated.config;
      fromFile = next.activeCombo;
    } catch (error) {
      if (error instanceof ConfigError) return { kind: 'refused', problems: error.problems };
      throw error;
    }
    const switchedAtRunTime = engine.config.activeCombo;
    const fileValue = fromFile;
    if (next.activeCombo === fileActiveCombo && switchedAtRunTime !== fileActiveCombo && (switchedAtRunTime === undefined || next.combos.some((combo) => combo.name === switchedAtRunTime))) {
      next = { ...next, activeCombo: switchedAtRunTime };
    }
    if (isDeepStrictEqual(next, engine.config)) return { kind: 'unchanged' };
    try {
      await engine.applyConfig(next);
    } catch (error) {
      if (error instanceof RuntimeConfigError) return { kind: 'refused', problems: error.problems };
      throw error;
    }
    fileActiveCombo = fileValue;
    return { kind: 'applied' };
  }

  function schedule(): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running
        .then(reload)
        .then(
          (outcome) => {
            if (outcome.kind === 'applied') logger.info('config file changed: applied', { path });
            if (outcome.kind === 'refused') logger.error(`config file changed but was refused; the previous config keeps serving:\n${outcome.problems.map((problem) => `  ${problem}`).join('\n')}`, { path });
            options.onReload?.(outcome);
          },
          (error: unknown) => logger.error('reloading the config file failed; the previous config keeps serving', { path, error: String(error) }),
        );
    }, debounceMs);
  }

  // Seed with the current text so the first event compares against what is serving.
  void readFile(path, 'utf8').then(
    (text) => {
      lastText ??= text;
    },
    () => {},
  );

  const name = basename(path);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
      if (changed === null || changed === name) schedule();
    });
    watcher.on('error', () => {});
  } catch {
    // Some file systems cannot be watched: poll instead.
    watchFile(path, { interval: 1000, persistent: false }, schedule);
  }

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
      unwatchFile(path);
    },
    settled: () => running,
  };
}
