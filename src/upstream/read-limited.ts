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

/** Collects a readable into one Buffer, destroying it once `limit` bytes are exceeded. */
export async function readLimited(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    if (length > limit) {
      body.destroy();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, length);
}
