/**
 * @module compat/embedding-encoding
 * `encoding_format` for embeddings, honoured whatever the upstream does with it. The official
 * Node SDK asks for `base64` unless told otherwise and decodes the string as little-endian float32;
 * a server that ignores the field and answers float arrays breaks it (LocalAI's comment in
 * core/schema/openai.go; wire-quirks.md §1). Converted here, both ways.
 */

type JsonRecord = Record<string, unknown>;

/** Float32 little-endian bytes of the vector, base64-encoded (OpenAI's `base64` encoding). */
export function floatsToBase64(values: readonly number[]): string {
  const bytes = Buffer.alloc(values.length * 4);
  for (let index = 0; index < values.length; index += 1) bytes.writeFloatLE(values[index] ?? 0, index * 4);
  return bytes.toString("base64");
}

/** The vector behind a `base64` embedding. */
export function base64ToFloats(text: string): number[] {
  const bytes = Buffer.from(text, "base64");
  const values: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) values.push(bytes.readFloatLE(offset));
  return values;
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === "number");
}

/** Rewrites `data[].embedding` of an embeddings answer into `format`; true when anything changed. */
export function encodeEmbeddings(answer: JsonRecord, format: "base64" | "float"): boolean {
  const data = answer["data"];
  if (!Array.isArray(data)) return false;
  let changed = false;
  for (const item of data) {
    if (typeof item !== "object" || item === null) continue;
    const record = item as JsonRecord;
    const embedding = record["embedding"];
    if (format === "base64" && isNumberArray(embedding)) {
      record["embedding"] = floatsToBase64(embedding);
      changed = true;
    } else if (format === "float" && typeof embedding === "string") {
      record["embedding"] = base64ToFloats(embedding);
      changed = true;
    }
  }
  return changed;
}
