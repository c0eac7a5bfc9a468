/**
 * @module server/admin/snake-case
 * The admin API speaks snake_case, like the OpenAI API it sits beside; internal results use
 * camelCase. This converts plain data (objects, arrays, primitives) at the edge.
 */

function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Returns a copy of `value` with every object key in snake_case. */
export function toSnakeCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnakeCase);
  if (typeof value !== "object" || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // User-chosen keys (a credential's provider_fields) come back exactly as they were sent.
    // defineProperty, not assignment: a `__proto__` key must stay a field, never become the prototype.
    Object.defineProperty(result, snakeKey(key), { value: key === "provider_fields" ? inner : toSnakeCase(inner), enumerable: true, writable: true, configurable: true });
  }
  return result;
}
