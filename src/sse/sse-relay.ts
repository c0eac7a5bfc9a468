/**
 * @module sse/sse-relay
 * Relays an upstream event stream into a client response byte for byte, as chunks arrive. The
 * caller pauses the upstream while `write()` returns false (back-pressure). It remembers whether
 * the bytes so far end on an event boundary, so an error event written after an upstream failure
 * starts on a fresh event.
 */
import type { ServerResponse } from "node:http";
import { encodeSseEvent } from "./sse-encoder.js";
import type { StreamEndScan } from "./stream-end-scan.js";

/** How a relay recognises and reports an OpenAI chat/completions stream that did not finish. */
export interface StreamContract {
  readonly watch: StreamEndScan;
  /** The error body sent when the upstream ended without a finish reason or `[DONE]`. */
  readonly truncated: () => unknown;
}

/** Bytes at the end of the relayed stream kept to tell whether an event just ended. */
const TAIL_BYTES = 4;

/** Forwards chunks to a ServerResponse whose headers are already written. */
export class SseRelay {
  readonly #response: ServerResponse;
  readonly #contract: StreamContract | undefined;
  #tail: Buffer = Buffer.alloc(0);
  #broken = false;

  constructor(response: ServerResponse, contract?: StreamContract) {
    this.#response = response;
    this.#contract = contract;
  }

  /** Writes one upstream chunk unchanged; false means "pause until drain". */
  write(chunk: Buffer): boolean {
    const watch = this.#contract?.watch;
    if (watch !== undefined) {
      // After an in-band error the answer is over; nothing after it (a stray `[DONE]`) is relayed.
      if (watch.inBandError !== undefined) return true;
      watch.observe(chunk);
    }
    this.#tail = chunk.length >= TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : Buffer.concat([this.#tail, chunk]).subarray(-TAIL_BYTES);
    return this.#response.write(chunk);
  }

  /** True once the stream ended with an error event: cut off, or an in-band error from the upstream. */
  get broken(): boolean {
    return this.#broken || this.#contract?.watch.inBandError !== undefined;
  }

  /**
   * Ends the client's stream after the upstream ended its own. A chat stream that stopped without
   * a finish reason or `[DONE]` was cut off: the client gets an error event, never a clean finish.
   */
  end(): void {
    const contract = this.#contract;
    if (contract !== undefined) {
      if (contract.watch.inBandError === undefined && !contract.watch.endedCleanly()) {
        this.endWithError(contract.truncated());
        return;
      }
    }
    this.#response.end();
  }

  once(event: "drain", listener: () => void): this {
    this.#response.once(event, listener);
    return this;
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
    this.#broken = true;
    if (this.#response.destroyed || this.#response.writableEnded) return;
    const prefix = this.atEventBoundary ? "" : "\n\n";
    this.#response.end(prefix + encodeSseEvent({ data: JSON.stringify(body) }));
  }
}
