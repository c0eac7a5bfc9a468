/**
 * @module gateway/replace-model-field
 * Changes the top-level `model` value of a JSON request body without re-serialising the rest:
 * every other byte reaches the upstream exactly as the client sent it (STYLE.md §1).
 * The text must already have passed JSON.parse; this scanner relies on that.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Index just past the string that starts at `start` (a quote). */
function skipString(text: string, start: number): number {
  let index = start + 1;
  for (;;) {
    const quote = text.indexOf('"', index);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    index = quote + 1;
  }
}

/**
 * Finds the `[start, end)` range of the value of the top-level string member `key`, or undefined.
 * With duplicate keys the last one wins, as in JSON.parse.
 */
export function findTopLevelStringValue(text: string, key: string): [number, number] | undefined {
  const quotedKey = JSON.stringify(key);
  let found: [number, number] | undefined;
  let depth = 0;
  let expectKey = false;
  let keyMatched = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = skipString(text, index);
      if (depth === 1) {
        if (expectKey) {
          keyMatched = end - index === quotedKey.length && text.startsWith(quotedKey, index);
          expectKey = false;
        } else if (keyMatched) {
          found = [index, end];
          keyMatched = false;
        }
      }
      index = end - 1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth === 1) expectKey = code === OPEN_BRACE;
      else if (depth === 2) keyMatched = false;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth -= 1;
    } else if (code === COMMA && depth === 1) {
      expectKey = true;
      keyMatched = false;
    } else if (code === COLON) {
      // The value follows; keyMatched stays set until that value is seen.
    }
  }
  return found;
}

/** Returns `text` with the top-level `model` string replaced by `model`. */
export function replaceModelField(text: string, model: string): string {
  const range = findTopLevelStringValue(text, "model");
  if (range === undefined) return text;
  return text.slice(0, range[0]) + JSON.stringify(model) + text.slice(range[1]);
}

/**
 * Returns `text` (a JSON object) with a `model` member added first. Used when a client leaves the
 * model out and the default for the endpoint's type applies.
 */
export function insertModelField(text: string, model: string): string {
  const open = text.indexOf("{");
  if (open < 0) return text;
  const rest = text.slice(open + 1);
  const empty = rest.trimStart().startsWith("}");
  return `${text.slice(0, open + 1)}"model":${JSON.stringify(model)}${empty ? "" : ","}${rest}`;
}
