/**
 * @module errors/normalize-upstream-error.test
 * Every error-body shape listed in shared/reference/wire-quirks.md §0 ("Error body" column) becomes
 * an OpenAI error body with exactly the four keys, keeping what the upstream said.
 */
import { describe, expect, it } from "vitest";
import { MAX_UPSTREAM_ERROR_MESSAGE_CHARS } from "../defaults.js";
import { normalizeUpstreamError, type UpstreamErrorInput } from "./normalize-upstream-error.js";

const KEY = "sk-upstream-secret-0123456789abcdef";

function normalize(status: number, body: unknown, contentType = "application/json", secrets: readonly string[] = [KEY]) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const input: UpstreamErrorInput = { status, contentType, body: Buffer.from(raw, "utf8"), provider: "local-vllm", secrets };
  return normalizeUpstreamError(input);
}

/** The four keys the OpenAPI spec marks required, and nothing else. */
function expectOpenAIShape(result: unknown): void {
  expect(Object.keys(result as object)).toEqual(["error"]);
  const error = (result as { error: Record<string, unknown> }).error;
  expect(Object.keys(error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(typeof error["message"]).toBe("string");
  expect((error["message"] as string).length).toBeGreaterThan(0);
  expect(typeof error["type"]).toBe("string");
  expect(error["param"] === null || typeof error["param"] === "string").toBe(true);
  expect(error["code"] === null || typeof error["code"] === "string").toBe(true);
}

describe("normalizeUpstreamError: JSON shapes of real servers", () => {
  it("keeps an OpenAI error body as it is, param and code included", () => {
    const body = { error: { message: "Invalid value for 'temperature'.", type: "invalid_request_error", param: "temperature", code: "invalid_value" } };
    const result = normalize(400, body);
    expectOpenAIShape(result);
    expect(result).toEqual(body);
  });

  it("reads vLLM's current body and turns its numeric code into a string", () => {
    const result = normalize(400, { error: { message: "max_tokens is too large", type: "BadRequestError", param: null, code: 400 } });
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "max_tokens is too large", type: "BadRequestError", param: null, code: "400" });
  });

  it("reads vLLM's old flat {object: 'error', message, type, param, code} body", () => {
    const result = normalize(404, { object: "error", message: "The model `llama` does not exist.", type: "NotFoundError", param: "model", code: 404 });
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "The model `llama` does not exist.", type: "NotFoundError", param: "model", code: "404" });
  });

  it("reads vLLM's 401 {\"error\":\"Unauthorized\"} and types it as an authentication error", () => {
    const result = normalize(401, { error: "Unauthorized" });
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "Unauthorized", type: "authentication_error", param: null, code: null });
  });

  it("reads Ollama's native {\"error\": \"...\"} body", () => {
    const result = normalize(404, { error: "model 'llama9' not found, try pulling it first" });
    expectOpenAIShape(result);
    expect(result.error).toMatchObject({ message: "model 'llama9' not found, try pulling it first", type: "not_found_error", code: null });
  });

  it("reads llama.cpp's body with the HTTP status as a numeric code and no param", () => {
    const result = normalize(400, { error: { code: 400, message: "the request exceeds the available context size", type: "exceed_context_size_error" } });
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "the request exceeds the available context size", type: "exceed_context_size_error", param: null, code: "400" });
  });

  it("reads LocalAI's body with an empty type and falls back to the type for the status", () => {
    const result = normalize(500, { error: { code: 500, message: "could not load model: rpc error", type: "" } });
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "could not load model: rpc error", type: "server_error", param: null, code: "500" });
  });

  it("reads TGI's {error, error_type} body and keeps error_type as the type", () => {
    const result = normalize(422, { error: "Input validation error: `inputs` must have less than 4096 tokens", error_type: "validation" });
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "Input validation error: `inputs` must have less than 4096 tokens", type: "validation", param: null, code: null });
  });

  it("unwraps Gemini's one-element array and uses its status as the type", () => {
    const body = [{ error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT", details: [{ reason: "API_KEY_INVALID" }] } }];
    const result = normalize(400, body);
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "API key not valid. Please pass a valid API key.", type: "INVALID_ARGUMENT", param: null, code: "400" });
  });

  it("reads OpenRouter's body with metadata and user_id, dropping the extras", () => {
    const body = { error: { code: 402, message: "Insufficient credits", metadata: { provider_name: "Anthropic", raw: "..." } }, user_id: "user_123" };
    const result = normalize(402, body);
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "Insufficient credits", type: "invalid_request_error", param: null, code: "402" });
  });

  it("keeps Azure's string code and supplies the type it leaves out", () => {
    const result = normalize(404, { error: { code: "DeploymentNotFound", message: "The API deployment for this resource does not exist." } });
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "The API deployment for this resource does not exist.", type: "not_found_error", param: null, code: "DeploymentNotFound" });
  });

  it("renders Mistral's 422 object-valued message as readable text, not [object Object]", () => {
    const body = {
      object: "error",
      message: { detail: [{ type: "missing", loc: ["body", "messages"], msg: "Field required", input: null }] },
      type: "invalid_request_message_error",
      param: null,
      code: null,
    };
    const result = normalize(422, body);
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "body.messages: Field required", type: "invalid_request_message_error", param: null, code: null });
  });

  it("renders FastAPI's {detail: [...]} validation list as 'location: message' items", () => {
    const body = {
      detail: [
        { loc: ["body", "model"], msg: "field required", type: "value_error.missing" },
        { loc: ["body", "temperature"], msg: "ensure this value is less than or equal to 2", type: "value_error" },
      ],
    };
    const result = normalize(422, body);
    expectOpenAIShape(result);
    expect(result.error.message).toBe("body.model: field required; body.temperature: ensure this value is less than or equal to 2");
    expect(result.error.type).toBe("invalid_request_error");
  });

  it("reads FastAPI's {detail: \"...\"} string form (text-generation-webui 401)", () => {
    const result = normalize(401, { detail: "Unauthorized" });
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "Unauthorized", type: "authentication_error", param: null, code: null });
  });

  it("describes JSON it does not recognise with the provider, the status and the text", () => {
    const result = normalize(500, { status: "failed" });
    expectOpenAIShape(result);
    expect(result.error.message).toContain("local-vllm");
    expect(result.error.message).toContain("500");
    expect(result.error.message).toContain('{"status":"failed"}');
    expect(result.error.type).toBe("server_error");
  });
});

describe("normalizeUpstreamError: bodies that are not JSON", () => {
  it("names the title of an HTML error page instead of relaying the markup", () => {
    const html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    const result = normalize(502, html, "text/html");
    expectOpenAIShape(result);
    expect(result.error.message).toContain("local-vllm");
    expect(result.error.message).toContain("HTML page");
    expect(result.error.message).toContain('"502 Bad Gateway"');
    expect(result.error.message).not.toContain("<");
    expect(result.error).toMatchObject({ type: "server_error", param: null, code: null });
  });

  it("still says an HTML page came back when it has no title", () => {
    const result = normalize(503, "<html><body>down for maintenance</body></html>", "text/html");
    expectOpenAIShape(result);
    expect(result.error.message).toMatch(/HTTP 503 with an HTML page\.$/);
  });

  it("relays a plain-text body as the message", () => {
    const result = normalize(500, "Internal Server Error\n", "text/plain; charset=utf-8");
    expectOpenAIShape(result);
    expect(result.error).toEqual({ message: "Internal Server Error", type: "server_error", param: null, code: null });
  });

  it("relays a plain-text body sent without a content type", () => {
    const input: UpstreamErrorInput = { status: 400, contentType: undefined, body: Buffer.from("bad request"), provider: "p", secrets: [] };
    const result = normalizeUpstreamError(input);
    expectOpenAIShape(result);
    expect(result.error.message).toBe("bad request");
  });

  it("explains an empty body with the provider and status", () => {
    const result = normalize(503, "", "text/plain");
    expectOpenAIShape(result);
    expect(result.error.message).toBe("Upstream provider 'local-vllm' answered HTTP 503 with an empty body.");
    expect(result.error.type).toBe("server_error");
  });

  it("treats a whitespace-only body as empty", () => {
    const result = normalize(500, "  \n ", "application/json");
    expectOpenAIShape(result);
    expect(result.error.message).toContain("empty body");
  });

  it("explains an invalid JSON body sent as application/json with its text", () => {
    const result = normalize(500, '{"error": truncat', "application/json");
    expectOpenAIShape(result);
    expect(result.error.message).toBe(`Upstream provider 'local-vllm' answered HTTP 500: {"error": truncat`);
  });

  it("falls back to the whole error object when it has no message", () => {
    const result = normalize(400, { error: { code: "bad" } });
    expectOpenAIShape(result);
    expect(result.error.message).toBe('{"code":"bad"}');
    expect(result.error.code).toBe("bad");
  });
});

describe("normalizeUpstreamError: size and secrets", () => {
  it("clips a huge message to the limit with an ellipsis", () => {
    const result = normalize(400, { error: { message: "x".repeat(50_000), type: "invalid_request_error" } });
    expectOpenAIShape(result);
    expect(result.error.message).toHaveLength(MAX_UPSTREAM_ERROR_MESSAGE_CHARS + 1);
    expect(result.error.message.endsWith("…")).toBe(true);
  });

  it("clips a huge plain-text body too", () => {
    const result = normalize(500, "y".repeat(10_000), "text/plain");
    expect(result.error.message).toHaveLength(MAX_UPSTREAM_ERROR_MESSAGE_CHARS + 1);
  });

  it("redacts the provider's key when an upstream echoes it in the message", () => {
    const result = normalize(401, { error: { message: `Incorrect API key provided: ${KEY}. You can find your key at ...`, type: "invalid_request_error", code: "invalid_api_key" } });
    expectOpenAIShape(result);
    expect(result.error.message).not.toContain(KEY);
    expect(result.error.message).toContain("[redacted]");
    expect(result.error.code).toBe("invalid_api_key");
  });

  it("redacts every occurrence of the key in a plain-text body", () => {
    const result = normalize(403, `key ${KEY} refused; key ${KEY} is revoked`, "text/plain");
    expect(result.error.message).toBe("key [redacted] refused; key [redacted] is revoked");
  });

  it("redacts the key in an HTML page title", () => {
    const result = normalize(403, `<html><head><title>Forbidden for ${KEY}</title></head></html>`, "text/html");
    expect(result.error.message).not.toContain(KEY);
  });

  it("leaves no part of a key that straddles the clipping limit", () => {
    // The key starts 12 characters before the cut, so clipping first would keep its first 12 characters.
    const padding = "z".repeat(MAX_UPSTREAM_ERROR_MESSAGE_CHARS - 12);
    const result = normalize(400, { error: { message: `${padding}${KEY} and more text after it` } });
    expect(result.error.message).not.toContain(KEY.slice(0, 12));
  });
});
