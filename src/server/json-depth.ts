/**
 * @module server/json-depth
 * How deeply a parsed JSON body nests. V8's `JSON.parse` is iterative and survives any depth, but
 * everything after it — zod, `JSON.stringify`, our own recursive helpers and the upstream's parser
 * (Python's stops at ~1000 levels) — recurses, so a body nested a million levels deep would end in
 * a stack overflow somewhere. Walking the parsed value costs per object or array, never per byte:
 * strings are not looked at, so a large base64 image costs nothing and a typical chat body
 * well under a microsecond.
 */

function nestsDeeper(value: object, remaining: number): boolean {
  if (remaining === 0) return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (typeof item === "object" && item !== null && nestsDeeper(item, remaining - 1)) return true;
    }
    return false;
  }
  // for…in over a parsed object sees exactly its own keys (JSON.parse creates plain objects).
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (typeof item === "object" && item !== null && nestsDeeper(item, remaining - 1)) return true;
  }
  return false;
}

/**
 * True when `value` has objects or arrays nested more than `limit` levels deep (the outermost
 * object is level 1). Stops at the first branch that is too deep.
 */
export function exceedsJsonDepth(value: unknown, limit: number): boolean {
  return typeof value === "object" && value !== null && nestsDeeper(value, limit);
}

/** Shortest JSON text that can nest deeper than `limit`: an opening and closing bracket per level. */
export function minimumCharsToExceed(limit: number): number {
  return 2 * (limit + 1);
}
