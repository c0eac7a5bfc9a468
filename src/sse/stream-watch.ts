/**
 * @module sse/stream-watch
 * Observes a relayed chat-completions stream to learn how it ended (`[DONE]`, a finish reason, an
 * in-band error) and its final usage, without touching the bytes the client receives.
 */
import { SseDecoder, type SseMessage } from "./sse-decoder.js";

const DONE = "[DONE]";
const COLON = 0x3a;
const LOWER_N = 0x6e;

/**
 * Watches the raw chunks the gateway relays. It only reads them: nothing is changed, delayed or
 * kept (the decoder copies the unfinished line). JSON is parsed only for data messages that can
 * hold something it reports, so a long stream of plain content deltas costs a substring search
 * per message.
 */
export class ChatStreamWatch {
  readonly #decoder = new SseDecoder();
  #sawDone = false;
  #sawFinishReason = false;
  #inBandError: unknown = undefined;
  #usage: unknown = undefined;
  #malformedMessages = 0;

  /** Reads one relayed chunk. */
  observe(chunk: Uint8Array): void {
    for (const message of this.#decoder.push(chunk)) this.#inspect(message);
  }

  /**
   * Call when the upstream stream ends, so a last event sent without its closing blank line is
   * still seen (some servers end on `data: …\n`). Not needed for the getters otherwise.
   */
  end(): void {
    for (const message of this.#decoder.end()) this.#inspect(message);
  }

  /** A `data: [DONE]` message arrived. */
  get sawDone(): boolean {
    return this.#sawDone;
  }

  /** Some chunk had a choice whose `finish_reason` is a non-empty string. */
  get sawFinishReason(): boolean {
    return this.#sawFinishReason;
  }

  /**
   * The first non-null top-level `error` of a data message (`data: {"error":{…}}`), the shape
   * the official SDKs raise as an APIError. OpenRouter sends one beside `finish_reason: "error"`,
   * so check this as well as {@link endedCleanly}.
   */
  get inBandError(): unknown {
    return this.#inBandError;
  }

  /** The last non-null top-level `usage` object (sent in the final chunk with `include_usage`). */
  get usage(): unknown {
    return this.#usage;
  }

  /**
   * Data messages that were parsed as JSON and failed. Messages skipped by the cheap pre-check are
   * never parsed, so a malformed one of those is not counted.
   */
  get malformedMessages(): number {
    return this.#malformedMessages;
  }

  /**
   * True when the upstream said it was finished: `[DONE]`, or a finish reason, because several
   * OpenAI-compatible servers omit `[DONE]` after a proper last chunk. A stream cut mid-answer has
   * neither.
   */
  endedCleanly(): boolean {
    return this.#sawDone || this.#sawFinishReason;
  }

  #inspect(message: SseMessage): void {
    const data = message.data;
    if (data === DONE) {
      this.#sawDone = true;
      return;
    }
    // Every OpenAI chunk carries `"finish_reason":null` (and `"usage":null` with include_usage),
    // so a plain `includes` would parse them all; only a non-null value is worth parsing.
    const worthParsing =
      (!this.#sawFinishReason && hasNonNullMember(data, '"finish_reason"')) ||
      hasNonNullMember(data, '"error"') ||
      hasNonNullMember(data, '"usage"');
    if (!worthParsing) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.#malformedMessages += 1;
      return;
    }
    if (!isRecord(parsed)) return;
    const { error, usage, choices } = parsed;
    if (error !== undefined && error !== null && this.#inBandError === undefined) this.#inBandError = error;
    if (isRecord(usage)) this.#usage = usage;
    if (Array.isArray(choices) && choices.some(hasFinishReason)) this.#sawFinishReason = true;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasFinishReason(choice: unknown): boolean {
  return isRecord(choice) && typeof choice.finish_reason === "string" && choice.finish_reason !== "";
}

/**
 * Whether `text` may hold `quotedKey` as an object key with a value other than `null`. A cheap,
 * conservative scan: a false positive only costs a JSON.parse. It tolerates the whitespace Python
 * servers put after colons (vLLM errors are `{"error": {…}}`), and skips the key when it is a
 * string value (`"finish_reason":"error"` does not hold an `error` key).
 */
function hasNonNullMember(text: string, quotedKey: string): boolean {
  let at = text.indexOf(quotedKey);
  while (at !== -1) {
    let index = skipWhitespace(text, at + quotedKey.length);
    if (text.charCodeAt(index) === COLON) {
      index = skipWhitespace(text, index + 1);
      if (index < text.length && text.charCodeAt(index) !== LOWER_N) return true;
    }
    at = text.indexOf(quotedKey, index);
  }
  return false;
}

function skipWhitespace(text: string, index: number): number {
  let position = index;
  for (;;) {
    const code = text.charCodeAt(position);
    // JSON whitespace: space, tab, LF, CR.
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return position;
    position += 1;
  }
}
