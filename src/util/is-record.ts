/**
 * @module util/is-record
 * The one guard for "a plain JSON object", used wherever upstream JSON is read leniently.
 */

/** A JSON object (not an array, not null). */
export type JsonRecord = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
