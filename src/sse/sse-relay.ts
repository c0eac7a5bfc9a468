/**
 * @module sse/sse-relay
 * Relays an upstream event stream into a client response byte for byte, as chunks arrive, with
 * back-pressure: the next upstream chunk is pulled only once the client socket has taken the last.
 * It remembers whether the bytes so far end on an event boundary, so an error event written after
 * an upstream failure starts on a fresh event.
 */
import type { ServerResponse } from "node:http";
import { Writable } from "node:stream";
import { encodeSseEvent } from "./sse-encoder.js";

const LF = 0x0a;
const CR = 0x0d;

/** A Writable that forwards every chunk to a ServerResponse whose headers are already written. */
export class SseRelay extends Writable {
  readonly #response: ServerResponse;
  #last = LF;
  #beforeLast = LF;

  constructor(response: ServerResponse) {
    super({ highWaterMark: 0 });
    this.#response = response;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const length = chunk.length;
    if (length >= 2) {
      this.#beforeLast = chunk[length - 2] ?? LF;
      this.#last = chunk[length - 1] ?? LF;
    } else if (length === 1) {
      this.#beforeLast = this.#last;
      this.#last = chunk[0] ?? LF;
    }
    if (this.#response.write(chunk)) callback();
    else this.#response.once("drain", () => callback());
  }

  /** True when the bytes relayed so far end with a blank line (or nothing was relayed). */
  get atEventBoundary(): boolean {
    return (this.#last === LF || this.#last === CR) && (this.#beforeLast === LF || this.#beforeLast === CR);
  }

  /**
   * Ends the client's stream with an error event in the shape the official SDKs raise as an
   * APIError (`data: {"error":{…}}`), and no `[DONE]`, so a cut stream never looks finished.
   */
  endWithError(body: unknown): void {
    if (this.#response.destroyed || this.#response.writableEnded) return;
    const prefix = this.atEventBoundary ? "" : "\n\n";
    this.#response.end(prefix + encodeSseEvent({ data: JSON.stringify(body) }));
  }
}
