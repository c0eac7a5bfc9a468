/**
 * @module observability/redacting-logger
 * Wraps any logger (ours or one a library user passes in) so that every line is scrubbed of the
 * gateway's stored secret values as well as of the shapes every logger removes. The values change
 * with the configuration, so they are read through a function at each line.
 */
import { redactSecrets } from "../secrets/redact-secrets.js";
import { redactValue } from "../secrets/redact-value.js";
import type { Logger } from "./logger.js";

/** A logger whose lines never contain any of `secrets()`, nor anything shaped like a key. */
export function redactingLogger(inner: Logger, secrets: () => readonly string[]): Logger {
  // Log lines are rare (warnings, errors, reloads), so scrubbing each one costs nothing measurable.
  const scrub = (object: object, message: string | undefined): [object, string | undefined] => {
    const values = secrets();
    return [redactValue(object, values) as object, message === undefined ? undefined : redactSecrets(message, values)];
  };
  return {
    debug: (object, message) => inner.debug(...scrub(object, message)),
    info: (object, message) => inner.info(...scrub(object, message)),
    warn: (object, message) => inner.warn(...scrub(object, message)),
    error: (object, message) => inner.error(...scrub(object, message)),
  };
}
