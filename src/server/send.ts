/**
 * @module server/send
 * Writing JSON and OpenAI error responses. Every error the HTTP layer sends goes through
 * {@link sendError}, so every error body has the same four fields.
 */
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { GatewayError } from "../errors/gateway-error.js";
import { toOpenAIErrorBody, type OpenAIErrorBody } from "../errors/openai-error-body.js";

/** Sends a JSON payload (already serialised, or a value to serialise). */
export function sendJson(response: ServerResponse, status: number, payload: unknown, headers: OutgoingHttpHeaders = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  response.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

/** Sends an OpenAI error body with the status of a GatewayError. */
export function sendError(response: ServerResponse, error: GatewayError, headers: OutgoingHttpHeaders = {}): void {
  sendJson(response, error.status, toOpenAIErrorBody(error), { ...error.headers, ...headers });
}

/** Sends an already-normalised upstream error body with the upstream's status. */
export function sendErrorBody(response: ServerResponse, status: number, body: OpenAIErrorBody, headers: OutgoingHttpHeaders = {}): void {
  sendJson(response, status, body, headers);
}
