/**
 * @module secrets/redact-value
 * Redacts a structured value (a log line's object) with the same rules as {@link redactSecrets}:
 * every string is scrubbed, values under secret field names are replaced whole, errors become plain
 * `{type, message, stack, code, cause}` objects with their text scrubbed.
 */
import { redactSecrets } from "./redact-secrets.js";
import { REDACTED, SECRET_FIELD_NAMES } from "./secret-patterns.js";

/** Nesting below this is cut: log objects are shallow, and a cycle must not loop. */
const MAX_DEPTH = 8;

/** Own, enumerable, and never the prototype: a `__proto__` key stays an ordinary field. */
function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function redactError(error: Error, secrets: readonly string[], depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = { type: error.name, message: redactSecrets(error.message, secrets) };
  if (error.stack !== undefined) result["stack"] = redactSecrets(error.stack, secrets);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") result["code"] = code;
  if (error.cause !== undefined) result["cause"] = redactValue(error.cause, secrets, depth + 1);
  return result;
}

/** Returns a copy of `value` with every secret removed; `secrets` are stored values to remove too. */
export function redactValue(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === "string") return redactSecrets(value, secrets);
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_DEPTH) return "[nested too deep]";
  if (value instanceof Error) return redactError(value, secrets, depth);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, secrets, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    setField(result, key, SECRET_FIELD_NAMES.has(key.toLowerCase()) && inner !== undefined && inner !== null ? REDACTED : redactValue(inner, secrets, depth + 1));
  }
  return result;
}
