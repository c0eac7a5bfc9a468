/**
 * @module server/client-error.test
 * Requests node:http refuses before routing still get an OpenAI error body and a closed connection.
 */
import { describe, expect, it } from "vitest";
import { clientErrorResponse } from "./client-error.js";

function parse(raw: string): { statusLine: string; headers: string; body: { error: Record<string, unknown> } } {
  const [head = "", body = ""] = raw.split("\r\n\r\n");
  const [statusLine = "", ...headers] = head.split("\r\n");
  return { statusLine, headers: headers.join("\n"), body: JSON.parse(body) as { error: Record<string, unknown> } };
}

describe("clientErrorResponse", () => {
  it("answers oversized headers with 431 headers_too_large", () => {
    const { statusLine, headers, body } = parse(clientErrorResponse("HPE_HEADER_OVERFLOW"));
    expect(statusLine).toBe("HTTP/1.1 431 Request Header Fields Too Large");
    expect(headers).toContain("connection: close");
    expect(body).toEqual({ error: { message: expect.any(String), type: "invalid_request_error", param: null, code: "headers_too_large" } });
  });

  it("answers a slow client with 408 request_timeout", () => {
    const { statusLine, body } = parse(clientErrorResponse("ERR_HTTP_REQUEST_TIMEOUT"));
    expect(statusLine).toBe("HTTP/1.1 408 Request Timeout");
    expect(body.error["code"]).toBe("request_timeout");
  });

  it("answers anything else that is not HTTP with 400, with a content-length that matches the body", () => {
    const raw = clientErrorResponse("HPE_INVALID_METHOD");
    const { statusLine, headers, body } = parse(raw);
    expect(statusLine).toBe("HTTP/1.1 400 Bad Request");
    expect(body.error["code"]).toBe("invalid_request");
    const length = Number(/content-length: (\d+)/.exec(headers)?.[1]);
    expect(length).toBe(Buffer.byteLength(raw.split("\r\n\r\n")[1] ?? ""));
  });
});
