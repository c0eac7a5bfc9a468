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

/** Bytes at the end of the relayed stream that are kept to tell whether an event just ended. */
const TAIL_BYTES = 4;

/** A Writable that forwards every chunk to a ServerResponse whose headers are already written. */
export class SseRelay extends Writable {
  readonly #response: ServerResponse;
  #tail: Buffer = Buffer.alloc(0);

  constructor(response: ServerResponse) {
    super({ highWaterMark: 0 });
    this.#response = response;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#tail = chunk.length >= TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : Buffer.concat([this.#tail, chunk]).subarray(-TAIL_BYTES);
    if (this.#response.write(chunk)) callback();
    else this.#response.once("drain", () => callback());
  }

  /**
   * True when the bytes relayed so far end an event: nothing yet, or a blank line (`\n\n`, `\r\r`,
   * `\r\n\r\n`, `\n\r\n`). A lone `\r\n` only ends a line, inside an event.
   */
  get atEventBoundary(): boolean {
    const tail = this.#tail.toString("latin1");
    return tail.length === 0 || tail.endsWith("\n\n") || tail.endsWith("\r\r") || tail.endsWith("\r\n\r\n") || tail.endsWith("\n\r\n");
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
