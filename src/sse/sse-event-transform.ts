/**
 * @module sse/sse-event-transform
 * Edits a few events of an event stream and relays every other byte as it came. Chunks are cut at
 * the last complete event (the unfinished rest waits for its end), and a chunk whose events the
 * editor does not want — the rule, checked with a byte search — is passed on whole, without being
 * decoded. Only wanted events are decoded (sse-decoder.ts) and, when changed, encoded again
 * (sse-encoder.ts); nothing is ever edited as text (STYLE.md §6–7).
 */
import { SseDecoder } from "./sse-decoder.js";
import { encodeSseEvent } from "./sse-encoder.js";

/** Decides which events are decoded and what becomes of them. */
export interface SseEventEditor {
  /** True when these raw bytes may hold an event worth editing (a marker search; false for most chunks). */
  wants(bytes: Buffer): boolean;
  /** For one event's data: `undefined` keeps the event's bytes, `null` drops the event, a string replaces its data. */
  edit(data: string): string | null | undefined;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/**
 * An unfinished event longer than this is passed on unedited rather than held: a server that never
 * ends its events must not make the gateway buffer without bound.
 */
const MAX_PENDING_BYTES = 1024 * 1024;

function isLineEnd(byte: number | undefined): boolean {
  return byte === LF || byte === CR;
}

/** Index just past the last blank line (the end of the last complete event), or 0 when there is none. */
export function completeEventsEnd(bytes: Buffer): number {
  const length = bytes.length;
  if (length >= 2 && bytes[length - 1] === LF && bytes[length - 2] === LF) return length;
  for (let index = length - 1; index >= 1; index -= 1) {
    if (!isLineEnd(bytes[index])) continue;
    const terminatorStart = bytes[index] === LF && bytes[index - 1] === CR ? index - 1 : index;
    if (isLineEnd(bytes[terminatorStart - 1])) return index + 1;
  }
  return 0;
}

/** Calls `visit(start, end)` for each event (its lines and the blank line after them) in `bytes`. */
function eachEvent(bytes: Buffer, visit: (start: number, end: number) => void): void {
  let start = 0;
  let lineStart = 0;
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index];
    if (byte !== LF && byte !== CR) {
      index += 1;
      continue;
    }
    let next = index + 1;
    if (byte === CR && bytes[next] === LF) next += 1;
    if (index === lineStart) {
      visit(start, next);
      start = next;
    }
    lineStart = next;
    index = next;
  }
  if (start < bytes.length) visit(start, bytes.length);
}

/** Relays an event stream to `out`, letting an editor change or drop single events. */
export class SseEventTransform {
  readonly #out: (chunk: Buffer) => boolean;
  readonly #editor: SseEventEditor;
  #pending: Buffer | undefined;

  constructor(out: (chunk: Buffer) => boolean, editor: SseEventEditor) {
    this.#out = out;
    this.#editor = editor;
  }

  /** Takes one upstream chunk; false means "pause until drain", as for the plain relay. */
  write(chunk: Buffer): boolean {
    const bytes = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
    let end = completeEventsEnd(bytes);
    if (end === 0 && bytes.length > MAX_PENDING_BYTES) end = bytes.length;
    // A copy, so the kept tail never pins the upstream's read buffer.
    this.#pending = end === bytes.length ? undefined : Buffer.from(bytes.subarray(end));
    if (end === 0) return true;
    const complete = end === bytes.length ? bytes : bytes.subarray(0, end);
    return this.#send(complete);
  }

  /** Sends what is left when the upstream ended: a last event without its closing blank line. */
  end(): void {
    const rest = this.#pending;
    this.#pending = undefined;
    if (rest !== undefined) this.#send(rest);
  }

  #send(bytes: Buffer): boolean {
    if (!this.#editor.wants(bytes)) return this.#out(bytes);
    const edited = this.#edit(bytes);
    return edited.length === 0 ? true : this.#out(edited);
  }

  #edit(bytes: Buffer): Buffer {
    const parts: Buffer[] = [];
    eachEvent(bytes, (start, end) => {
      const event = bytes.subarray(start, end);
      if (!this.#editor.wants(event)) {
        parts.push(event);
        return;
      }
      const decoder = new SseDecoder();
      const message = [...decoder.push(event), ...decoder.end()][0];
      const data = message === undefined ? undefined : this.#editor.edit(message.data);
      if (message === undefined || data === undefined) parts.push(event);
      else if (data !== null) {
        parts.push(Buffer.from(encodeSseEvent({ ...(message.event === undefined ? {} : { event: message.event }), ...(message.id === undefined ? {} : { id: message.id }), data })));
      }
    });
    return parts.length === 1 ? (parts[0] ?? EMPTY) : Buffer.concat(parts);
  }
}
