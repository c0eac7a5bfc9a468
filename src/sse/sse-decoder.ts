/**
 * @module sse/sse-decoder
 * Incremental, byte-level Server-Sent Events decoder: each byte is scanned once, and only the
 * unfinished line is kept between chunks (STYLE.md §6).
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */

/** One dispatched event. */
export interface SseMessage {
  /** The `event` field; undefined when absent or empty, which the spec treats alike ("message"). */
  readonly event: string | undefined;
  /** Every `data` field of the event, joined with `\n`. */
  readonly data: string;
  /**
   * The `id` field of this event. Unlike a browser's last-event-ID it is not carried over to later
   * events: the gateway never reconnects, so only the event's own id is worth reporting.
   */
  readonly id: string | undefined;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const BYTE_ORDER_MARK = 0xfeff;
const NO_BYTES = new Uint8Array(0);

// CR and LF never occur inside a UTF-8 multi-byte sequence, so a complete line always holds whole
// characters and can be decoded on its own; no streaming decoder state is needed. `ignoreBOM`
// because a non-streaming decode() would otherwise strip a BOM from the start of *every* line,
// while the spec strips one only at the start of the stream.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Turns upstream chunks into SSE messages. Chunk boundaries may fall anywhere: inside a CRLF,
 * inside a multi-byte character, or inside the BOM. The caller's chunks are never modified or
 * retained; the unfinished line is copied, so buffers may be reused or relayed at once.
 */
export class SseDecoder {
  /** Copies of the unfinished line's bytes, joined once when its line ending arrives. */
  #pending: Uint8Array[] = [];
  #pendingLength = 0;
  /** The last chunk ended in CR: an LF starting the next chunk belongs to the same CRLF. */
  #skipLeadingLf = false;
  #atStreamStart = true;
  #event: string | undefined = undefined;
  #id: string | undefined = undefined;
  #data: string[] = [];

  /** Decodes one chunk and returns the events it completed (often none, sometimes several). */
  push(chunk: Uint8Array): SseMessage[] {
    const messages: SseMessage[] = [];
    if (chunk.length === 0) return messages;
    let start = 0;
    if (this.#skipLeadingLf) {
      this.#skipLeadingLf = false;
      if (chunk[0] === LF) start = 1;
    }
    // Remember where the next CR and LF are, and search again only once a line ending has passed
    // one, so each byte is looked at once even when CRs and LFs are far apart.
    let nextLf = chunk.indexOf(LF, start);
    let nextCr = chunk.indexOf(CR, start);
    while (nextLf !== -1 || nextCr !== -1) {
      const isCr = nextCr !== -1 && (nextLf === -1 || nextCr < nextLf);
      const end = isCr ? nextCr : nextLf;
      this.#line(this.#takeLine(chunk, start, end), messages);
      start = end + 1;
      // A CR is a line ending on its own, so its line is handled now rather than when the next
      // chunk shows whether an LF follows.
      if (isCr) {
        if (start === chunk.length) this.#skipLeadingLf = true;
        else if (chunk[start] === LF) start += 1;
      }
      if (nextCr !== -1 && nextCr < start) nextCr = chunk.indexOf(CR, start);
      if (nextLf !== -1 && nextLf < start) nextLf = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      this.#pending.push(chunk.slice(start));
      this.#pendingLength += chunk.length - start;
    }
    return messages;
  }

  /**
   * Ends the stream: an unterminated last line still counts, and an event that has data is
   * dispatched even without its closing blank line (servers cut off or sloppy about it). The
   * decoder is then ready for a new stream.
   */
  end(): SseMessage[] {
    const messages: SseMessage[] = [];
    if (this.#pendingLength > 0) this.#line(this.#takeLine(NO_BYTES, 0, 0), messages);
    this.#dispatch(messages);
    this.#skipLeadingLf = false;
    this.#atStreamStart = true;
    return messages;
  }

  /** The bytes of a finished line: pending bytes (if any) followed by `chunk[start, end)`. */
  #takeLine(chunk: Uint8Array, start: number, end: number): Uint8Array {
    if (this.#pendingLength === 0) return chunk.subarray(start, end);
    const line = new Uint8Array(this.#pendingLength + end - start);
    let offset = 0;
    for (const part of this.#pending) {
      line.set(part, offset);
      offset += part.length;
    }
    line.set(chunk.subarray(start, end), offset);
    this.#pending = [];
    this.#pendingLength = 0;
    return line;
  }

  #line(bytes: Uint8Array, messages: SseMessage[]): void {
    const atStreamStart = this.#atStreamStart;
    this.#atStreamStart = false;
    if (bytes.length === 0) return this.#dispatch(messages);
    // Comments are keep-alives (llama.cpp `: ping`, OpenRouter `: OPENROUTER PROCESSING`): skip
    // them before paying for decoding.
    if (bytes[0] === COLON) return;
    let line = utf8.decode(bytes);
    if (atStreamStart && line.charCodeAt(0) === BYTE_ORDER_MARK) {
      line = line.slice(1);
      if (line === "") return this.#dispatch(messages);
      if (line.charCodeAt(0) === COLON) return;
    }
    this.#field(line);
  }

  #field(line: string): void {
    const colon = line.indexOf(":");
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === SPACE) value = value.slice(1);
    switch (name) {
      case "data":
        this.#data.push(value);
        break;
      case "event":
        this.#event = value === "" ? undefined : value;
        break;
      case "id":
        // The spec ignores ids containing NUL.
        if (!value.includes("\0")) this.#id = value;
        break;
      // `retry` only matters to a reconnecting client; the spec says to ignore unknown fields.
    }
  }

  #dispatch(messages: SseMessage[]): void {
    // An event with no data field is dropped, as the spec says (its event and id are discarded).
    if (this.#data.length > 0) messages.push({ event: this.#event, data: this.#data.join("\n"), id: this.#id });
    this.#event = undefined;
    this.#id = undefined;
    this.#data = [];
  }
}
