/**
 * @module server/client-error
 * Answers requests node:http refuses before any handler sees them — headers over `maxHeaderSize`
 * (431), a client too slow to send its headers or body (408), bytes that are not HTTP (400) — with
 * the same OpenAI error body as every other error, then closes the connection.
 */
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { ERROR_CATALOGUE, type ErrorCode } from "../errors/error-catalogue.js";

/** node:http's error codes for the refusals above, mapped to our catalogue. */
const CODE_FOR_PARSER_ERROR: Readonly<Record<string, { code: ErrorCode; message: string }>> = {
  HPE_HEADER_OVERFLOW: { code: "headers_too_large", message: "The request headers are larger than this server accepts." },
  ERR_HTTP_REQUEST_TIMEOUT: { code: "request_timeout", message: "The request was not received in time; the connection is closed." },
};

const MALFORMED = { code: "invalid_request" as ErrorCode, message: "The request is not valid HTTP." };

/** The raw response for a refused request: status line, headers and an OpenAI error body. */
export function clientErrorResponse(errorCode: string | undefined): string {
  const { code, message } = (errorCode === undefined ? undefined : CODE_FOR_PARSER_ERROR[errorCode]) ?? MALFORMED;
  const { status, type } = ERROR_CATALOGUE[code];
  const body = JSON.stringify({ error: { message, type, param: null, code } });
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/** The server's `clientError` listener. */
export function handleClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // node:http's own rule: answer only while nothing of a response went out on this socket yet.
  const current = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || current?.headersSent === true) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorResponse(error.code));
}
