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

const BODY = Symbol("switchyard.body");

/** Collection state kept on the request itself. */
interface BodyState {
  readonly limit: number;
  readonly chunks: Buffer[];
  length: number;
  readonly resolve: (body: Buffer) => void;
  readonly reject: (error: unknown) => void;
}

type ReadingRequest = IncomingMessage & { [BODY]?: BodyState | undefined };

/*
 * Shared listener functions with the state on the request, rather than closures per request:
 * per-request closures registered as listeners kept requests alive through young-generation GC
 * under load (see docs/performance.md).
 */
function onBodyData(this: ReadingRequest, chunk: Buffer): void {
  const state = this[BODY];
  if (state === undefined) return;
  state.length += chunk.length;
  if (state.length > state.limit) {
    this[BODY] = undefined;
    this.off("data", onBodyData);
    // Stop reading; the error response carries `connection: close`.
    this.pause();
    state.reject(tooLarge(state.limit));
    return;
  }
  state.chunks.push(chunk);
}

function onBodyEnd(this: ReadingRequest): void {
  const state = this[BODY];
  if (state === undefined) return;
  this[BODY] = undefined;
  state.resolve(state.chunks.length === 1 ? (state.chunks[0] as Buffer) : Buffer.concat(state.chunks, state.length));
}

function onBodyError(this: ReadingRequest, error: unknown): void {
  const state = this[BODY];
  if (state === undefined) return;
  this[BODY] = undefined;
  state.reject(error);
}

/** Collects the body, rejecting with body_too_large past `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  checkDeclaredLength(request, limit);
  return new Promise((resolve, reject) => {
    (request as ReadingRequest)[BODY] = { limit, chunks: [], length: 0, resolve, reject };
    request.on("data", onBodyData);
    request.once("end", onBodyEnd);
    request.once("error", onBodyError);
  });
}
