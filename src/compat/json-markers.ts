/**
 * @module compat/json-markers
 * Byte searches that tell whether raw JSON holds a given key with a value of a given kind, without
 * decoding it. Sound for the same reason as sse/stream-end-scan.ts: inside a JSON string every
 * quote is escaped, so `"usage":` followed by `{` only ever appears as a real key.
 */

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** The byte a JSON value starts with: an object, an array or a string. */
export const OBJECT_START = 0x7b;
export const ARRAY_START = 0x5b;
export const STRING_START = 0x22;

/** `"name":` as bytes, for {@link hasKeyWith}. */
export function keyMarker(name: string): Buffer {
  return Buffer.from(`${JSON.stringify(name)}:`);
}

/** Index of the first byte after `from` that is not JSON whitespace. */
export function skipWhitespace(bytes: Buffer, from: number): number {
  let index = from;
  for (;;) {
    const byte = bytes[index];
    if (byte !== SPACE && byte !== TAB && byte !== LF && byte !== CR) return index;
    index += 1;
  }
}

/** True when `bytes` holds the key `marker` with a value starting with `valueStart`. */
export function hasKeyWith(bytes: Buffer, marker: Buffer, valueStart: number): boolean {
  let index = bytes.indexOf(marker);
  while (index >= 0) {
    if (bytes[skipWhitespace(bytes, index + marker.length)] === valueStart) return true;
    index = bytes.indexOf(marker, index + 1);
  }
  return false;
}

/**
 * True when `bytes` holds a key starting with `prefix` and ending in one of `endings` (each the
 * rest of the key, its closing quote and the colon) with a value starting with `valueStart`. One
 * search covers related keys (`"reasoning":` and `"reasoning_content":`): each Buffer.indexOf is a
 * native call that costs as much as scanning a small chunk, and this runs on every stream chunk.
 */
export function hasKeyFamilyWith(bytes: Buffer, prefix: Buffer, endings: readonly Buffer[], valueStart: number): boolean {
  let index = bytes.indexOf(prefix);
  while (index >= 0) {
    const after = index + prefix.length;
    for (const ending of endings) {
      if (bytes.length >= after + ending.length && bytes.compare(ending, 0, ending.length, after, after + ending.length) === 0) {
        if (bytes[skipWhitespace(bytes, after + ending.length)] === valueStart) return true;
      }
    }
    index = bytes.indexOf(prefix, after);
  }
  return false;
}

/**
 * The raw text of the last object value of key `marker` (`"usage":{…}`), found by matching braces
 * outside strings; undefined when absent or cut off. Used to read a small member of a large body
 * (an embeddings answer) without parsing the whole body.
 */
export function lastObjectValue(bytes: Buffer, marker: Buffer): string | undefined {
  let index = bytes.lastIndexOf(marker);
  while (index >= 0) {
    const start = skipWhitespace(bytes, index + marker.length);
    if (bytes[start] === OBJECT_START) return objectAt(bytes, start);
    index = index === 0 ? -1 : bytes.lastIndexOf(marker, index - 1);
  }
  return undefined;
}

function objectAt(bytes: Buffer, start: number): string | undefined {
  let depth = 0;
  let inString = false;
  for (let index = start; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (inString) {
      if (byte === 0x5c) index += 1;
      else if (byte === STRING_START) inString = false;
    } else if (byte === STRING_START) inString = true;
    else if (byte === OBJECT_START || byte === ARRAY_START) depth += 1;
    else if (byte === 0x7d || byte === 0x5d) {
      depth -= 1;
      if (depth === 0) return bytes.toString("utf8", start, index + 1);
    }
  }
  return undefined;
}
