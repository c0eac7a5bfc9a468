/**
 * @module server/read-body
 * Reads a request body into one Buffer with a size limit. A declared Content-Length over the limit
 * is refused before reading; a chunked body is cut off as soon as it passes the limit.
 */
import type { IncomingMessage } from "node:http";
import { GatewayError } from "../errors/gateway-error.js";

function tooLarge(limit: number): GatewayError {
  return new GatewayError("body_too_large", `Request body is larger than the limit of ${limit} bytes.`, {
    headers: { connection: "close" },
  });
}

/** Throws body_too_large when the declared length exceeds the limit. */
export function checkDeclaredLength(request: IncomingMessage, limit: number): number | undefined {
  const header = request.headers["content-length"];
  if (header === undefined) return undefined;
  const length = Number(header);
  if (length > limit) throw tooLarge(limit);
  return Number.isFinite(length) ? length : undefined;
}

/** Collects the body, rejecting with body_too_large past `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  checkDeclaredLength(request, limit);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > limit) {
        request.off("data", onData);
        // Stop reading; the error response carries `connection: close`.
        request.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length)));
    request.once("error", reject);
  });
}
