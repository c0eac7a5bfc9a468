/**
 * @module observability/logger
 * Structured JSON logs (pino). Header and field names that may carry secrets are redacted here,
 * from one list, so no call site has to remember.
 */
import { pino, type Logger } from "pino";

/** Paths pino censors in every log line. */
export const REDACTED_LOG_PATHS: readonly string[] = [
  "apiKey",
  "*.apiKey",
  "headers.authorization",
  "headers['x-api-key']",
  "headers['api-key']",
  "*.headers.authorization",
  "*.headers['x-api-key']",
  "*.headers['api-key']",
];

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** pino level; `SWITCHYARD_LOG_LEVEL` or `info` by default. */
  readonly level?: string;
  /** Where lines go; stdout by default. */
  readonly destination?: NodeJS.WritableStream;
}

/** Creates the gateway logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env["SWITCHYARD_LOG_LEVEL"] ?? "info";
  const settings = { level, base: { service: "switchyard" }, redact: { paths: [...REDACTED_LOG_PATHS], censor: "[redacted]" } };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

/** A logger that drops everything (library use without logging). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

export type { Logger };
