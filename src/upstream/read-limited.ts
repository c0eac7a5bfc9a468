/**
 * @module upstream/read-limited
 * Reads a response body up to a byte limit, then stops the transfer.
 */
import type { Readable } from "node:stream";

/** Thrown when a body is larger than the caller allows. */
export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`response body exceeds ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Collects a readable into one Buffer, destroying it once `limit` bytes are exceeded. Past the
 * limit it throws, or with `truncate` (an error page only needs its start) returns the first
 * `limit` bytes.
 */
export async function readLimited(body: Readable, limit: number, options: { truncate?: boolean } = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    chunks.push(buffer);
    if (length > limit || (options.truncate === true && length >= limit)) {
      body.destroy();
      if (options.truncate !== true) throw new BodyTooLargeError(limit);
      break;
    }
  }
  return Buffer.concat(chunks, length).subarray(0, limit);
}
