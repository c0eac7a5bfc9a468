/**
 * @module discovery/diagnose-http-answer.test
 * Error answers and 200s without a model list, in the shapes real servers send them
 * (shared/reference/wire-quirks.md), become a code and advice — never the key or a header value.
 */
import { describe, expect, it } from "vitest";
import { diagnoseHttpAnswer, diagnoseNotAList, type AnswerContext, type HttpAnswer } from "./diagnose-http-answer.js";

const KEY = "sk-http-secret-77aa88bb99cc";
const REFERER = "https://referer.example.test/secret-path";

function context(overrides: Partial<AnswerContext> = {}): AnswerContext {
  return { url: new URL("http://127.0.0.1:1234/v1/models"), baseUrl: "http://127.0.0.1:1234/v1", pathHints: true, hasKey: true, secrets: [KEY, REFERER], ...overrides };
}

function json(status: number, body: unknown, extra: Partial<HttpAnswer> = {}): HttpAnswer {
  return { status, contentType: "application/json", body: Buffer.from(JSON.stringify(body)), ...extra };
}

function text(status: number, body: string, contentType = "text/plain"): HttpAnswer {
  return { status, contentType, body: Buffer.from(body) };
}

describe("diagnoseHttpAnswer", () => {
  it("says the key was rejected on 401 (llama.cpp's authentication_error shape)", () => {
    const error = diagnoseHttpAnswer(json(401, { error: { code: 401, message: "Invalid API Key", type: "authentication_error" } }), context());
    expect(error.code).toBe("unauthorized");
    expect(error.status).toBe(401);
    expect(error.message).toContain("rejected the API key");
  });

  it("says a key is needed on 401 when none is set (TGI's empty 401)", () => {
    const error = diagnoseHttpAnswer(text(401, ""), context({ hasKey: false }));
    expect(error.message).toContain("wants an API key");
  });

  it("never quotes an upstream that echoes the key", () => {
    const error = diagnoseHttpAnswer(json(403, { error: { message: `key ${KEY} lacks scope; referer ${REFERER}` } }), context());
    expect(error.code).toBe("forbidden");
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain(REFERER);
    expect(error.message).toContain("[redacted]");
  });

  it("explains Ollama's empty 403 from its Host-header guard", () => {
    const error = diagnoseHttpAnswer(text(403, ""), context());
    expect(error.message).toContain("Host");
  });

  it("suggests adding /v1 on a 404 from a base URL without it", () => {
    const error = diagnoseHttpAnswer(json(404, { error: "not found" }), context({ url: new URL("http://127.0.0.1:1234/models"), baseUrl: "http://127.0.0.1:1234" }));
    expect(error.code).toBe("not_found_path");
    expect(error.message).toContain("try http://127.0.0.1:1234/v1");
  });

  it("suggests removing a doubled /v1 on a 404", () => {
    const error = diagnoseHttpAnswer(text(404, "Not Found"), context({ url: new URL("http://127.0.0.1:1234/v1/v1/models"), baseUrl: "http://127.0.0.1:1234/v1/v1" }));
    expect(error.message).toContain("repeats /v1");
  });

  it("gives no /v1 advice for native lists whose path Switchyard chose", () => {
    const error = diagnoseHttpAnswer(text(404, ""), context({ baseUrl: "http://127.0.0.1:1234", pathHints: false }));
    expect(error.message).not.toContain("/v1;");
    expect(error.message).toContain("Check the base URL");
  });

  it("reports llama.cpp's 503 'Loading model' as a model still loading", () => {
    const error = diagnoseHttpAnswer(json(503, { error: { code: 503, message: "Loading model", type: "unavailable_error" } }, { retryAfter: "5" }), context());
    expect(error.code).toBe("model_loading");
    expect(error.message).toContain('"Loading model"');
    expect(error.message).toContain("retry after 5 s");
  });

  it("reports LocalAI's model_loading 503 the same way", () => {
    const error = diagnoseHttpAnswer(json(503, { error: { code: "model_loading", message: "model is loading", type: "model_loading" } }), context());
    expect(error.code).toBe("model_loading");
  });

  it("names the HTML page a proxy sent with a 502", () => {
    const error = diagnoseHttpAnswer(text(502, "<html><head><title>502 Bad Gateway</title></head></html>", "text/html"), context());
    expect(error.code).toBe("server_error");
    expect(error.message).toContain("502 Bad Gateway");
    expect(error.message).toContain("proxy");
  });

  it("points at the redirect target without its query string", () => {
    const error = diagnoseHttpAnswer({ status: 301, body: Buffer.alloc(0), location: "https://127.0.0.1:1234/v1/models?token=abc" }, context());
    expect(error.code).toBe("bad_response");
    expect(error.message).toContain("https://127.0.0.1:1234/v1/models");
    expect(error.message).not.toContain("token=abc");
  });

  it("treats 429 as a passing server-side condition", () => {
    expect(diagnoseHttpAnswer(json(429, { error: { message: "slow down" } }), context()).code).toBe("server_error");
  });

  it("quotes Gemini's array-wrapped error message", () => {
    const error = diagnoseHttpAnswer(json(400, [{ error: { code: 400, message: "API key not valid.", status: "INVALID_ARGUMENT" } }]), context({ pathHints: false }));
    expect(error.code).toBe("bad_response");
    expect(error.message).toContain("API key not valid.");
  });
});

describe("diagnoseNotAList", () => {
  it("recognises LM Studio's 200 answer to a path it does not serve", () => {
    const error = diagnoseNotAList(json(200, { error: "Unexpected endpoint or method. (GET /models)" }), context({ url: new URL("http://127.0.0.1:1234/models"), baseUrl: "http://127.0.0.1:1234" }));
    expect(error.code).toBe("not_found_path");
    expect(error.message).toContain("try http://127.0.0.1:1234/v1");
  });

  it("says when a 200 carries an HTML page, such as a web UI", () => {
    const error = diagnoseNotAList(text(200, "<!DOCTYPE html><html><head><title>Open WebUI</title></head></html>", "text/html"), context());
    expect(error.code).toBe("bad_response");
    expect(error.message).toContain("HTML page");
    expect(error.message).toContain("Open WebUI");
  });

  it("says when a 200 is not JSON at all", () => {
    expect(diagnoseNotAList(text(200, "OK"), context()).message).toContain("not JSON");
  });

  it("reports other JSON as the wrong server or path", () => {
    const error = diagnoseNotAList(json(200, { status: "ok" }), context());
    expect(error.code).toBe("bad_response");
    expect(error.message).toContain("not with a model list");
  });
});
