import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { convertAnthropicError, isRetryableAnthropicError } from "./anthropic-error.js";
import { anthropicHeaders, anthropicMessagesUrl } from "./anthropic-endpoint.js";

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));
}

describe("convertAnthropicError", () => {
  it("keeps the status and maps the documented error body, naming the request id", () => {
    expect(convertAnthropicError({ status: 404, contentType: "application/json", body: fixture("anthropic-error-404.json"), secrets: [] })).toEqual({
      status: 404,
      body: {
        error: {
          message: "The requested resource could not be found. (Anthropic request id req_011CSHoEeqs5C35K2UUqR7Fy)",
          type: "not_found_error",
          param: null,
          code: "not_found_error",
        },
      },
      retryable: false,
    });
  });

  it("marks 529 overloaded as retryable and keeps 529", () => {
    const converted = convertAnthropicError({ status: 529, body: fixture("anthropic-error-529.json"), secrets: [] });
    expect(converted).toMatchObject({ status: 529, retryable: true, body: { error: { message: "Overloaded", type: "server_error", code: "overloaded_error" } } });
  });

  it.each([
    [400, "invalid_request_error", "invalid_request_error", false],
    [401, "authentication_error", "authentication_error", false],
    [403, "permission_error", "permission_error", false],
    [413, "request_too_large", "invalid_request_error", false],
    [429, "rate_limit_error", "rate_limit_error", true],
    [500, "api_error", "server_error", true],
    [504, "timeout_error", "server_error", true],
  ])("maps HTTP %i %s to OpenAI type %s (retryable: %s)", (status, anthropicType, openAIType, retryable) => {
    const body = JSON.stringify({ type: "error", error: { type: anthropicType, message: "x" } });
    expect(convertAnthropicError({ status, body, secrets: [] })).toMatchObject({ status, retryable, body: { error: { type: openAIType, code: anthropicType } } });
  });

  it("gives exhausted budgets the insufficient_quota code so the router fails over instead of retrying", () => {
    const spend = JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "spend limit", details: { error_code: "enforced_spend_limit_reached" } } });
    expect(convertAnthropicError({ status: 429, body: spend, secrets: [] })).toMatchObject({ retryable: false, body: { error: { code: "insufficient_quota" } } });
    const billing = JSON.stringify({ type: "error", error: { type: "billing_error", message: "Your credit balance is too low" } });
    expect(convertAnthropicError({ status: 402, body: billing, secrets: [] })).toMatchObject({ status: 402, retryable: false, body: { error: { code: "insufficient_quota" } } });
  });

  it("never echoes the key", () => {
    const key = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789";
    const body = JSON.stringify({ type: "error", error: { type: "authentication_error", message: `invalid x-api-key ${key}` } });
    const converted = convertAnthropicError({ status: 401, body, secrets: [key] });
    expect(JSON.stringify(converted)).not.toContain(key);
    expect(converted.body.error.message).toContain("invalid x-api-key");
  });

  it("copes with Cloudflare's HTML 413, an empty body and an object-valued message", () => {
    const html = convertAnthropicError({ status: 413, contentType: "text/html", body: "<html><head><title>413 Request Entity Too Large</title></head></html>", secrets: [] });
    expect(html).toMatchObject({ status: 413, retryable: false, body: { error: { type: "invalid_request_error" } } });
    expect(html.body.error.message).toContain("413 Request Entity Too Large");
    expect(convertAnthropicError({ status: 503, body: "", secrets: [] })).toMatchObject({ status: 503, retryable: true });
    const odd = convertAnthropicError({ status: 400, body: JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: { detail: "x" } } }), secrets: [] });
    expect(odd.body.error.message).toBe('{"detail":"x"}');
  });
});

describe("isRetryableAnthropicError", () => {
  it.each([
    [529, undefined, true],
    [200, "overloaded_error", true],
    [408, undefined, true],
    [409, undefined, true],
    [400, "invalid_request_error", false],
    [404, undefined, false],
  ])("status %i, type %s → %s", (status, type, expected) => {
    expect(isRetryableAnthropicError(status, type)).toBe(expected);
  });
});

describe("anthropic endpoint", () => {
  it("builds the Messages URL from a base URL with or without /v1", () => {
    expect(anthropicMessagesUrl("https://api.anthropic.com/v1")).toBe("https://api.anthropic.com/v1/messages");
    expect(anthropicMessagesUrl("https://api.anthropic.com")).toBe("https://api.anthropic.com/v1/messages");
    expect(anthropicMessagesUrl("https://proxy.internal/anthropic/v1/")).toBe("https://proxy.internal/anthropic/v1/messages");
  });

  it("sends x-api-key and anthropic-version, never a Bearer header", () => {
    expect(anthropicHeaders("sk-ant-1")).toEqual({ "content-type": "application/json", "anthropic-version": "2023-06-01", "x-api-key": "sk-ant-1" });
    expect(anthropicHeaders(undefined)).not.toHaveProperty("x-api-key");
    expect(Object.keys(anthropicHeaders("k")).map((name) => name.toLowerCase())).not.toContain("authorization");
  });
});
