/**
 * @module sse/stream-end-scan
 * Tells, from the raw bytes of an OpenAI-style event stream, whether it finished: a `data: [DONE]`
 * line, a non-null `finish_reason`, or an in-band `data: {"error":…}` event. It searches with
 * Buffer.indexOf instead of decoding every event (the full decoder in sse-decoder.ts cost ~15 %
 * of streaming throughput for this yes/no question).
 *
 * Why raw searching is sound: JSON strings cannot hold a raw line break or an unescaped quote, so
 * a line that starts with `data: [DONE]` or `data: {"error"` is never inside content text, and
 * `"finish_reason":"` (a key followed by a string value) only appears as a real key.
 */

const DONE_LINE = Buffer.from("data: [DONE]");
const ERROR_LINE = Buffer.from('data: {"error"');
const FINISH_KEY = Buffer.from('"finish_reason":');
const QUOTE = 0x22;
const SPACE = 0x20;

/** Bytes kept from the end of one chunk so a marker split across two chunks is still found. */
const OVERLAP_BYTES = 32;

function isLineStart(buffer: Buffer, index: number, atStreamStart: boolean): boolean {
  if (index === 0) return atStreamStart;
  const previous = buffer[index - 1];
  return previous === 0x0a || previous === 0x0d;
}

/** Watches one stream's bytes as they are relayed; never changes or keeps the chunks. */
export class StreamEndScan {
  /** The end of the previous chunk when it stopped mid-line (a marker may continue here). */
  #pendingTail: Buffer | undefined;
  #lastByte = -1;
  #seen = 0;
  sawDone = false;
  sawFinishReason = false;
  /** The parsed `error` object of the first in-band error event, if any. */
  inBandError: unknown = undefined;

  /**
   * Looks at the next chunk, in place. Only when the previous chunk stopped mid-line is a small
   * seam across the boundary searched too; model servers nearly always cut chunks after an event,
   * so the common path allocates nothing.
   */
  observe(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const lineStart = this.#seen === 0 || this.#lastByte === 0x0a || this.#lastByte === 0x0d;
    this.#search(chunk, lineStart);
    const pending = this.#pendingTail;
    if (pending !== undefined) this.#search(Buffer.concat([pending, chunk.subarray(0, OVERLAP_BYTES)]), pending.length === this.#seen);
    this.#seen += chunk.length;
    this.#lastByte = chunk[chunk.length - 1] ?? -1;
    const endsLine = this.#lastByte === 0x0a || this.#lastByte === 0x0d;
    // A copy, so a kept slice never pins the upstream's (much larger) read buffer.
    this.#pendingTail = endsLine
      ? undefined
      : Buffer.from(chunk.length >= OVERLAP_BYTES ? chunk.subarray(chunk.length - OVERLAP_BYTES) : Buffer.concat([pending ?? Buffer.alloc(0), chunk]).subarray(-OVERLAP_BYTES));
  }

  /** True when the upstream said it was done: `[DONE]` or a finish reason. */
  endedCleanly(): boolean {
    return this.sawDone || this.sawFinishReason;
  }

  #search(window: Buffer, atStart: boolean): void {
    if (!this.sawDone) this.sawDone = findAtLineStart(window, DONE_LINE, atStart) >= 0;
    if (!this.sawFinishReason) this.sawFinishReason = hasStringFinishReason(window);
    if (this.inBandError === undefined) {
      const at = findAtLineStart(window, ERROR_LINE, atStart);
      if (at >= 0) this.inBandError = parseErrorLine(window, at);
    }
  }
}

function findAtLineStart(window: Buffer, marker: Buffer, atStart: boolean): number {
  let from = 0;
  for (;;) {
    const index = window.indexOf(marker, from);
    if (index < 0 || isLineStart(window, index, atStart)) return index;
    from = index + 1;
  }
}

/** A `"finish_reason":` key followed (after optional spaces) by a string, not `null`. */
function hasStringFinishReason(window: Buffer): boolean {
  let index = window.indexOf(FINISH_KEY);
  while (index >= 0) {
    let value = index + FINISH_KEY.length;
    while (window[value] === SPACE) value += 1;
    if (window[value] === QUOTE) return true;
    index = window.indexOf(FINISH_KEY, index + 1);
  }
  return false;
}

/** Parses the error event that starts at `index`; a truncated line still counts as an error. */
function parseErrorLine(window: Buffer, index: number): unknown {
  let end = index;
  while (end < window.length && window[end] !== 0x0a && window[end] !== 0x0d) end += 1;
  const json = window.toString("utf8", index + "data: ".length, end);
  try {
    const parsed = JSON.parse(json) as { error?: unknown };
    return parsed.error ?? { message: "upstream error" };
  } catch {
    return { message: "upstream error" };
  }
}
