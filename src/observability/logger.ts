import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Paths pino censors wherever they appear in a log record. Secrets reach logs mostly through
 * request headers and config objects, so both shapes are covered here, once.
 */
export const REDACTED_PATHS: readonly string[] = [
  'headers.authorization',
  'headers["x-vtex-api-apptoken"]',
  'headers["x-vtex-api-appkey"]',
  'headers["x-farol-hook-token"]',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers["x-farol-hook-token"]',
  'req.headers["x-vtex-api-apptoken"]',
  '*.appToken',
  '*.apiKey',
  '*.password',
  '*.hookToken',
  '*.token',
];

export const DEFAULT_LOG_LEVEL = 'info';

export interface LoggerSettings {
  readonly level?: string;
  readonly name?: string;
  readonly destination?: NodeJS.WritableStream;
  /**
   * Human-readable lines (pino-pretty) instead of JSON, for a person at a terminal. Falls back
   * to JSON when pino-pretty is not installed (production installs omit dev dependencies).
   */
  readonly pretty?: boolean;
}

export function createLogger(options: LoggerSettings = {}): Logger {
  const opts: LoggerOptions = {
    name: options.name ?? 'farol',
    level: options.level ?? DEFAULT_LOG_LEVEL,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  if (options.destination) return pino(opts, options.destination as pino.DestinationStream);
  if (options.pretty) {
    try {
      return pino({ ...opts, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' } } });
    } catch {
      // pino-pretty absent: structured JSON it is
    }
  }
  return pino(opts);
}

/** A logger that drops everything: for tests and library callers that bring no logger. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
