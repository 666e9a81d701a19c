import { SecretMasker } from './secret-masker.ts';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly masker: SecretMasker;
  level: LogLevel;
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  enabled(level: LogLevel): boolean;
}

export type LogSink = (line: string) => void;

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * A small structured logger: one line per event on stderr (or a given sink), `time LEVEL message key=value ...`.
 * Every line passes through the SecretMasker, so a secret that slips into a message or a field is still masked.
 */
export function createLogger(options: { level?: LogLevel; sink?: LogSink; masker?: SecretMasker } = {}): Logger {
  const masker = options.masker ?? new SecretMasker();
  const sink: LogSink = options.sink ?? ((line) => process.stderr.write(`${line}\n`));
  const logger: Logger = {
    masker,
    level: options.level ?? 'info',
    enabled: (level) => rank[level] <= rank[logger.level],
    error: (message, fields) => write('error', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    info: (message, fields) => write('info', message, fields),
    debug: (message, fields) => write('debug', message, fields),
  };
  function write(level: LogLevel, message: string, fields?: LogFields): void {
    if (!logger.enabled(level)) return;
    let line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}`;
    if (fields) {
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) line += ` ${key}=${formatValue(value)}`;
      }
    }
    sink(masker.mask(line));
  }
  return logger;
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return createLogger({ level: 'error', sink: () => {} });
}
