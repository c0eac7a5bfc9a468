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
const FINISH_MARKERS = [Buffer.from('"finish_reason":"'), Buffer.from('"finish_reason": "')];

/** Bytes kept from the end of one chunk so a marker split across two chunks is still found. */
const OVERLAP_BYTES = 32;

function isLineStart(buffer: Buffer, index: number, atStreamStart: boolean): boolean {
  if (index === 0) return atStreamStart;
  const previous = buffer[index - 1];
  return previous === 0x0a || previous === 0x0d;
}

/** Watches one stream's bytes as they are relayed; never changes or keeps the chunks. */
export class StreamEndScan {
  #tail: Buffer = Buffer.alloc(0);
  /** Bytes observed so far; while the tail holds all of them, the window starts the stream. */
  #seen = 0;
  sawDone = false;
  sawFinishReason = false;
  /** The parsed `error` object of the first in-band error event, if any. */
  inBandError: unknown = undefined;

  /** Looks at the next chunk: searched in place, plus a small seam across the chunk boundary. */
  observe(chunk: Buffer): void {
    const last = this.#tail[this.#tail.length - 1];
    // The chunk's first byte starts a line when it starts the stream or follows a line break.
    this.#search(chunk, this.#seen === 0 || last === 0x0a || last === 0x0d);
    if (this.#tail.length > 0) {
      // Markers cut by the chunk boundary: search the last bytes of before with the first of now.
      this.#search(Buffer.concat([this.#tail, chunk.subarray(0, OVERLAP_BYTES)]), this.#tail.length === this.#seen);
    }
    this.#seen += chunk.length;
    // A copy, so a kept slice never pins the upstream's (much larger) read buffer.
    this.#tail = Buffer.from(chunk.length >= OVERLAP_BYTES ? chunk.subarray(chunk.length - OVERLAP_BYTES) : Buffer.concat([this.#tail, chunk]).subarray(-OVERLAP_BYTES));
  }

  #search(window: Buffer, atStart: boolean): void {
    if (!this.sawDone) this.sawDone = this.#findAtLineStart(window, DONE_LINE, atStart) >= 0;
    if (!this.sawFinishReason) this.sawFinishReason = FINISH_MARKERS.some((marker) => window.indexOf(marker) >= 0);
    if (this.inBandError === undefined) {
      const at = this.#findAtLineStart(window, ERROR_LINE, atStart);
      if (at >= 0) this.inBandError = parseErrorLine(window, at);
    }
  }

  /** True when the upstream said it was done: `[DONE]` or a finish reason. */
  endedCleanly(): boolean {
    return this.sawDone || this.sawFinishReason;
  }

  #findAtLineStart(window: Buffer, marker: Buffer, atStart: boolean): number {
    let from = 0;
    for (;;) {
      const index = window.indexOf(marker, from);
      if (index < 0 || isLineStart(window, index, atStart)) return index;
      from = index + 1;
    }
  }
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
