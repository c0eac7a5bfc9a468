/**
 * @module observability/logger
 * Structured JSON logs (pino). Header and field names that may carry secrets are redacted here,
 * from one list (secrets/secret-patterns.ts), so no call site has to remember; every string in a
 * line (message, fields, error text and stack) is scrubbed by the same redaction function.
 */
import { createRequire } from "node:module";
import type { Logger as PinoLogger, LoggerOptions as PinoOptions } from "pino";
import { redactSecrets } from "../secrets/redact-secrets.js";
import { redactValue } from "../secrets/redact-value.js";
import { REDACTED, SECRET_HEADER_NAMES } from "../secrets/secret-patterns.js";

function headerPath(prefix: string, name: string): string {
  return /^[a-z]+$/.test(name) ? `${prefix}headers.${name}` : `${prefix}headers["${name}"]`;
}

/** Paths pino censors in every log line, derived from the one list of secret header names. */
export const REDACTED_LOG_PATHS: readonly string[] = [
  "apiKey",
  "*.apiKey",
  ...SECRET_HEADER_NAMES.flatMap((name) => [headerPath("", name), headerPath("*.", name)]),
];

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** pino level; `SWITCHYARD_LOG_LEVEL` or `info` by default. */
  readonly level?: string;
  /** Where lines go; stdout by default. */
  readonly destination?: NodeJS.WritableStream;
}

/** The logging calls Switchyard makes: a structured object, then a message. */
export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

const LEVEL_VALUES: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Number.POSITIVE_INFINITY };

function scrubMessage(message: string | undefined): string | undefined {
  return message === undefined ? undefined : redactSecrets(message);
}

type PinoFactory = (options: PinoOptions, destination?: NodeJS.WritableStream) => PinoLogger;

/**
 * Loads pino on the first line actually written. A quiet gateway (the normal case between
 * warnings) then never pays pino's ~9 MB of resident memory; the first warning loads it.
 */
class LazyLogger implements Logger {
  readonly #settings: PinoOptions;
  readonly #destination: NodeJS.WritableStream | undefined;
  readonly #threshold: number;
  #pino: PinoLogger | undefined;

  constructor(settings: PinoOptions & { level: string }, destination: NodeJS.WritableStream | undefined) {
    this.#settings = settings;
    this.#destination = destination;
    this.#threshold = LEVEL_VALUES[settings.level] ?? LEVEL_VALUES["info"] ?? 30;
  }

  #logger(): PinoLogger {
    if (this.#pino === undefined) {
      const { pino } = createRequire(import.meta.url)("pino") as { pino: PinoFactory };
      this.#pino = this.#destination === undefined ? pino(this.#settings) : pino(this.#settings, this.#destination);
    }
    return this.#pino;
  }

  debug(object: object, message?: string): void {
    if (this.#threshold <= 20) this.#logger().debug(redactValue(object) as object, scrubMessage(message));
  }

  info(object: object, message?: string): void {
    if (this.#threshold <= 30) this.#logger().info(redactValue(object) as object, scrubMessage(message));
  }

  warn(object: object, message?: string): void {
    if (this.#threshold <= 40) this.#logger().warn(redactValue(object) as object, scrubMessage(message));
  }

  error(object: object, message?: string): void {
    if (this.#threshold <= 50) this.#logger().error(redactValue(object) as object, scrubMessage(message));
  }
}

/** Creates the gateway logger: JSON lines, secrets redacted by path. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env["SWITCHYARD_LOG_LEVEL"] ?? "info";
  const settings = { level, base: { service: "switchyard" }, redact: { paths: [...REDACTED_LOG_PATHS], censor: REDACTED } };
  return new LazyLogger(settings, options.destination);
}

/** A logger that drops everything (library use without logging). */
export function silentLogger(): Logger {
  return new LazyLogger({ level: "silent" }, undefined);
}
