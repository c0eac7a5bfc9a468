/**
 * @module upstream/error-body-collector
 * A Writable that keeps the first N bytes of an upstream error body and then stops the transfer,
 * so a huge or endless error page cannot fill memory.
 */
import { Writable } from "node:stream";

/** Signals that the collector has enough bytes; not a failure. */
export class ErrorBodyLimitReached extends Error {
  constructor() {
    super("error body limit reached");
    this.name = "ErrorBodyLimitReached";
  }
}

/** Collects at most `limit` bytes, then destroys itself with {@link ErrorBodyLimitReached}. */
export class ErrorBodyCollector extends Writable {
  readonly #chunks: Buffer[] = [];
  readonly #limit: number;
  #length = 0;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const room = this.#limit - this.#length;
    if (chunk.length >= room) {
      this.#chunks.push(chunk.subarray(0, room));
      this.#length = this.#limit;
      callback(new ErrorBodyLimitReached());
      return;
    }
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    callback();
  }

  /** The bytes collected so far. */
  body(): Buffer {
    return Buffer.concat(this.#chunks, this.#length);
  }
}
