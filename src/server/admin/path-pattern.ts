/**
 * @module server/admin/path-pattern
 * Matches admin API paths against patterns such as `/api/credentials/:id/test` and
 * `/api/models/*id/test`, where `*id` spans one or more segments (model ids contain `/`).
 */

/** A compiled pattern. */
export interface PathPattern {
  readonly segments: readonly string[];
}

/** Compiles a pattern once, when the route table loads. */
export function compilePattern(pattern: string): PathPattern {
  return { segments: pattern.split("/").filter((segment) => segment !== "") };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Returns the captured parameters, or undefined when the path does not match. */
export function matchPattern(pattern: PathPattern, pathSegments: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const wanted = pattern.segments;
  let index = 0;
  for (let position = 0; position < wanted.length; position += 1) {
    const segment = wanted[position] as string;
    if (segment.startsWith("*")) {
      // Greedy, but leaves as many segments as the literal tail of the pattern needs.
      const tail = wanted.length - position - 1;
      const end = pathSegments.length - tail;
      if (end <= index) return undefined;
      const parts = pathSegments.slice(index, end).map(decode);
      if (parts.some((part) => part === undefined)) return undefined;
      params[segment.slice(1)] = parts.join("/");
      index = end;
      continue;
    }
    const actual = pathSegments[index];
    if (actual === undefined) return undefined;
    if (segment.startsWith(":")) {
      const value = decode(actual);
      if (value === undefined || value === "") return undefined;
      params[segment.slice(1)] = value;
    } else if (segment !== actual) {
      return undefined;
    }
    index += 1;
  }
  return index === pathSegments.length ? params : undefined;
}
