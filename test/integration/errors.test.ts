/**
 * @module test/integration/errors.test
 * What clients see when something goes wrong, through a running gateway over real sockets: every
 * error is an OpenAI error body with exactly `message`, `type`, `param` and `code`, with the right
 * status, whatever the request or the upstream did; keys never leak.
 */
import { createServer, type AddressInfo } from "node:net";
import { Readable } from "node:stream";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";

/** A key distinctive enough that finding it anywhere in a response means it leaked. */
const UPSTREAM_KEY = "sk-leakcheck-7f3a9c1e5b2d8f4a6c0e";
const MAX_BODY_BYTES = 1024;

let upstream: ScriptedUpstream;
let gateway: TestGateway;
let closedPort: number;

/** A port that was free a moment ago and has nothing listening on it. */
async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  closedPort = await closedLoopbackPort();
  gateway = await startGateway({
    maxBodyBytes: MAX_BODY_BYTES,
    config: {
      timeouts: { connectMs: 500, firstByteMs: 300, idleMs: 300, totalMs: 5_000 },
      // One attempt and no breaker: these tests pin what a single upstream exchange turns into.
      // Retries, failover and breakers have their own suite (test/integration/resilience.test.ts).
      routing: { maxAttempts: 1, breaker: { consecutiveFailures: 1_000, minCalls: 1_000 } },
      providers: {
        up: { kind: "openai-compat", baseUrl: upstream.baseUrl, apiKey: UPSTREAM_KEY },
        // Only the total deadline is short, so it is the one that fires.
        deadline: { kind: "openai-compat", baseUrl: upstream.baseUrl, apiKey: UPSTREAM_KEY, timeouts: { firstByteMs: 3_000, idleMs: 3_000, totalMs: 300 } },
        dead: { kind: "openai-compat", baseUrl: `http://127.0.0.1:${closedPort}/v1`, apiKey: UPSTREAM_KEY },
      },
    },
  });
});

afterAll(async () => {
  await gateway?.close({ timeoutMs: 0 });
  await upstream?.close();
});

interface ErrorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Parses an error response and checks it is an OpenAI error body with exactly the four keys. */
async function readError(response: Awaited<ReturnType<typeof request>>): Promise<ErrorResponse> {
  const text = await response.body.text();
  expect(response.statusCode).toBeGreaterThanOrEqual(400);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  const parsed = JSON.parse(text) as { error: ErrorResponse["error"] };
  expect(Object.keys(parsed)).toEqual(["error"]);
  expect(Object.keys(parsed.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(typeof parsed.error.message).toBe("string");
  expect(typeof parsed.error.type).toBe("string");
  expect(parsed.error.param === null || typeof parsed.error.param === "string").toBe(true);
  expect(parsed.error.code === null || typeof parsed.error.code === "string").toBe(true);
  return { status: response.statusCode, headers: response.headers, text, error: parsed.error };
}

function post(path: string, body: string | Buffer | Readable, headers: Record<string, string> = { "content-type": "application/json" }) {
  return request(`${gateway.url}${path}`, { method: "POST", headers, body });
}

function chat(model: string, extra: Record<string, unknown> = {}) {
  return post("/v1/chat/completions", JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], ...extra }));
}

function sdk(): OpenAI {
  return new OpenAI({ baseURL: gateway.baseUrl, apiKey: "client-key", maxRetries: 0 });
}

/** Runs an SDK call expected to fail and returns the APIError it raised. */
async function sdkError(call: () => Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(OpenAI.APIError);
    return error as InstanceType<typeof OpenAI.APIError>;
  }
  throw new Error("expected the SDK call to fail");
}

describe("request errors", () => {
  it("answers invalid JSON with 400 invalid_json", async () => {
    const { status, error } = await readError(await post("/v1/chat/completions", '{"model": "up/m", "messages": ['));
    expect(status).toBe(400);
    expect(error).toMatchObject({ type: "invalid_request_error", code: "invalid_json", param: null });
    expect(error.message).toContain("not valid JSON");
  });

  it("never quotes the body in an invalid JSON error, since the body may hold a key", async () => {
    // V8's own message quotes the text around the fault: `..."api_key": sk-live-Ab"... is not valid JSON`.
    for (const body of [
      '{"model": "up/m", "api_key": sk-live-Abc123XyZ987LeakCheck, "messages": []}',
      '{"model": "up/m", "api_key": "sk-live-Abc123XyZ987LeakCheck" "messages": []}',
      '{"model": "up/m", "messages": [{"role": "user", "content": "sk-live-Abc123XyZ987LeakCheck"}',
    ]) {
      const before = upstream.requests.length;
      const { status, error, text } = await readError(await post("/v1/chat/completions", body));
      expect(status).toBe(400);
      expect(error.code).toBe("invalid_json");
      expect(error.message).toMatch(/^The request body is not valid JSON( \(error at character \d+\))?\.$/);
      expect(text).not.toContain("sk-live");
      expect(text).not.toContain("Abc123");
      expect(upstream.requests.length).toBe(before);
    }
  });

  it("answers a JSON array body with 400", async () => {
    const { status, error } = await readError(await post("/v1/chat/completions", JSON.stringify([{ model: "up/m" }])));
    expect(status).toBe(400);
    expect(error.type).toBe("invalid_request_error");
    expect(error.message).toContain("JSON object");
  });

  it("answers a missing model with 400 and param 'model'", async () => {
    const { status, error } = await readError(await post("/v1/chat/completions", JSON.stringify({ messages: [] })));
    expect(status).toBe(400);
    expect(error).toMatchObject({ type: "invalid_request_error", param: "model", code: "missing_model" });
  });

  it("shows SDK users a BadRequestError with param 'model' when the model is missing", async () => {
    const params = { messages: [{ role: "user", content: "hi" }] } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
    const error = await sdkError(() => sdk().chat.completions.create(params));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.param).toBe("model");
    expect(error.code).toBe("missing_model");
  });

  it("answers a body over the limit with 413 when Content-Length declares it", async () => {
    const body = JSON.stringify({ model: "up/m", messages: [{ role: "user", content: "x".repeat(4 * MAX_BODY_BYTES) }] });
    const { status, error } = await readError(await post("/v1/chat/completions", body));
    expect(status).toBe(413);
    expect(error).toMatchObject({ type: "invalid_request_error", code: "body_too_large" });
    expect(error.message).toContain(String(MAX_BODY_BYTES));
  });

  it("answers a chunked body over the limit with 413 once it passes the limit", async () => {
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"model":"up/m","messages":[{"role":"user","content":"');
      for (let index = 0; index < 8; index += 1) {
        yield Buffer.alloc(512, "x");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      yield Buffer.from('"}]}');
    }
    const before = upstream.requests.length;
    // A stream body has no Content-Length, so undici sends it with Transfer-Encoding: chunked.
    const response = await post("/v1/chat/completions", Readable.from(chunks()));
    const { status, error } = await readError(response);
    expect(status).toBe(413);
    expect(error.code).toBe("body_too_large");
    expect(upstream.requests).toHaveLength(before);
  });

  it("answers a non-JSON content type with 415", async () => {
    const { status, error } = await readError(await post("/v1/chat/completions", JSON.stringify({ model: "up/m" }), { "content-type": "text/plain" }));
    expect(status).toBe(415);
    expect(error).toMatchObject({ type: "invalid_request_error", code: "unsupported_media_type" });
    expect(error.message).toContain("text/plain");
  });

  it("answers an unknown model prefix with 404 naming the known prefixes", async () => {
    const { status, error } = await readError(await chat("nope/some-model"));
    expect(status).toBe(404);
    expect(error).toMatchObject({ param: "model", code: "model_not_found" });
    expect(error.message).toContain("nope");
    expect(error.message).toContain("up/");
  });

  it("shows SDK users a NotFoundError for an unknown model prefix", async () => {
    const error = await sdkError(() => sdk().chat.completions.create({ model: "nope/x", messages: [{ role: "user", content: "hi" }] }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe("model_not_found");
  });

  it("answers an unknown route with 404", async () => {
    const { status, error } = await readError(await request(`${gateway.url}/v2/does-not-exist`));
    expect(status).toBe(404);
    expect(error).toMatchObject({ type: "not_found_error", code: "route_not_found" });
  });

  it("answers a wrong method with 405 and an Allow header", async () => {
    const { status, headers, error } = await readError(await request(`${gateway.url}/v1/chat/completions`, { method: "GET" }));
    expect(status).toBe(405);
    expect(headers["allow"]).toBe("POST");
    expect(error.code).toBe("method_not_allowed");
  });

  it("answers POST on the model list with 405 allowing GET", async () => {
    const { status, headers } = await readError(await post("/v1/models", "{}"));
    expect(status).toBe(405);
    expect(headers["allow"]).toBe("GET");
  });
});

describe("upstream error responses keep their status and are normalised", () => {
  it("relays an OpenAI-style 400 with its param and code", async () => {
    const upstreamError = { message: "'temperature' must be at most 2", type: "invalid_request_error", param: "temperature", code: "invalid_value" };
    upstream.script("/v1/chat/completions", { type: "json", status: 400, body: { error: upstreamError } });
    const { status, error } = await readError(await chat("up/m", { temperature: 9 }));
    expect(status).toBe(400);
    expect(error).toEqual(upstreamError);
  });

  it("shows SDK users the upstream's param and code on a BadRequestError", async () => {
    upstream.script("/v1/chat/completions", {
      type: "json",
      status: 400,
      body: { error: { message: "bad temperature", type: "invalid_request_error", param: "temperature", code: "invalid_value" } },
    });
    const error = await sdkError(() => sdk().chat.completions.create({ model: "up/m", messages: [{ role: "user", content: "hi" }], temperature: 9 }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe("temperature");
    expect(error.code).toBe("invalid_value");
    expect(error.message).toContain("bad temperature");
  });

  it("relays a 401 as an authentication error", async () => {
    upstream.script("/v1/chat/completions", { type: "json", status: 401, body: { error: "Unauthorized" } });
    const { status, error } = await readError(await chat("up/m"));
    expect(status).toBe(401);
    expect(error).toMatchObject({ message: "Unauthorized", type: "authentication_error" });
  });

  it("relays a 429 with its Retry-After header", async () => {
    upstream.script("/v1/chat/completions", {
      type: "json",
      status: 429,
      headers: { "retry-after": "7" },
      body: { error: { message: "Rate limit reached", type: "rate_limit_error", param: null, code: "rate_limit_exceeded" } },
    });
    const { status, headers, error } = await readError(await chat("up/m"));
    expect(status).toBe(429);
    expect(headers["retry-after"]).toBe("7");
    expect(error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
  });

  it("turns an HTML 502 page into an error body that names the page", async () => {
    upstream.script("/v1/chat/completions", { type: "text", status: 502, contentType: "text/html", body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>" });
    const { status, error } = await readError(await chat("up/m"));
    expect(status).toBe(502);
    expect(error.type).toBe("server_error");
    expect(error.message).toContain("502 Bad Gateway");
    expect(error.message).not.toContain("<h1>");
  });

  it("turns a plain-text 500 into an error body carrying the text", async () => {
    upstream.script("/v1/chat/completions", { type: "text", status: 500, body: "model runner crashed" });
    const { status, error } = await readError(await chat("up/m"));
    expect(status).toBe(500);
    expect(error).toMatchObject({ message: "model runner crashed", type: "server_error" });
  });

  it("turns an empty 503 into an error body naming the provider", async () => {
    upstream.script("/v1/chat/completions", { type: "text", status: 503, body: "" });
    const { status, error } = await readError(await chat("up/m"));
    expect(status).toBe(503);
    expect(error.message).toContain("'up'");
    expect(error.message).toContain("empty body");
  });

  it("never turns an upstream error into a 200, streaming or not", async () => {
    upstream.script("/v1/chat/completions", { type: "text", status: 500, body: "boom" }, { type: "json", status: 400, body: { error: { message: "no" } } });
    const streamed = await chat("up/m", { stream: true });
    expect(streamed.statusCode).toBe(500);
    await readError(streamed);
    const plain = await chat("up/m");
    expect(plain.statusCode).toBe(400);
    await readError(plain);
  });

  it("redacts the provider key when an upstream echoes it", async () => {
    upstream.script("/v1/chat/completions", { type: "json", status: 401, body: { error: { message: `Incorrect API key provided: ${UPSTREAM_KEY}`, type: "invalid_request_error", code: "invalid_api_key" } } });
    const response = await chat("up/m");
    const { status, text } = await readError(response);
    expect(status).toBe(401);
    expect(text).not.toContain(UPSTREAM_KEY);
  });

  it("answers an upstream redirect with 502 and does not follow it", async () => {
    const before = upstream.requests.length;
    upstream.script("/v1/chat/completions", { type: "json", status: 302, headers: { location: `${upstream.url}/elsewhere/v1/chat/completions` }, body: {} });
    const { status, headers, error } = await readError(await chat("up/m"));
    expect(status).toBe(502);
    expect(error.type).toBe("server_error");
    expect(error.message).toContain("redirect");
    expect(headers["location"]).toBeUndefined();
    expect(upstream.requests.slice(before).map((recorded) => recorded.path)).toEqual(["/v1/chat/completions"]);
  });
});

describe("upstream failures", () => {
  it("answers an unreachable upstream with 502 naming provider and host, never the key", async () => {
    const response = await chat("dead/m");
    const { status, headers, text, error } = await readError(response);
    expect(status).toBe(502);
    expect(error).toMatchObject({ type: "server_error", code: "upstream_unreachable" });
    expect(error.message).toContain("'dead'");
    expect(error.message).toContain(`127.0.0.1:${closedPort}`);
    expect(text).not.toContain(UPSTREAM_KEY);
    expect(JSON.stringify(headers)).not.toContain(UPSTREAM_KEY);
  });

  it("shows SDK users an InternalServerError-class APIError with status 502 for an unreachable upstream", async () => {
    const error = await sdkError(() => sdk().chat.completions.create({ model: "dead/m", messages: [{ role: "user", content: "hi" }] }));
    expect(error.status).toBe(502);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.message).not.toContain(UPSTREAM_KEY);
  });

  it("answers 504 when the upstream sends no response within the first-byte timeout", async () => {
    upstream.script("/v1/chat/completions", { type: "slow-first-byte", delayMs: 2_000, then: { type: "json", body: {} } });
    const started = Date.now();
    const { status, error } = await readError(await chat("up/m"));
    expect(status).toBe(504);
    expect(error).toMatchObject({ type: "server_error", code: "upstream_timeout" });
    expect(error.message).toContain("300 ms");
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("answers 504 when the whole exchange passes the total timeout before any byte", async () => {
    upstream.script("/v1/chat/completions", { type: "slow-first-byte", delayMs: 2_000, then: { type: "json", body: {} } });
    const started = Date.now();
    const { status, error } = await readError(await chat("deadline/m"));
    expect(status).toBe(504);
    expect(error.code).toBe("upstream_timeout");
    expect(error.message).toContain("'deadline'");
    expect(error.message).toContain("300 ms");
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("answers 504 with a JSON error body, not an event stream, when a streaming request times out before the first byte", async () => {
    upstream.script("/v1/chat/completions", { type: "slow-first-byte", delayMs: 2_000, then: { type: "sse-chunks", chunks: ["data: [DONE]\n\n"] } });
    const { status, error } = await readError(await chat("up/m", { stream: true }));
    expect(status).toBe(504);
    expect(error.code).toBe("upstream_timeout");
  });

  it("reads only a bounded prefix of a huge upstream error body and clips the message", async () => {
    upstream.script("/v1/chat/completions", { type: "text", status: 500, body: "E".repeat(2 * 1024 * 1024) });
    const { status, error } = await readError(await chat("up/m"));
    expect(status).toBe(500);
    expect(error.message.length).toBeLessThanOrEqual(2_001);
    expect(error.message.startsWith("EEEE")).toBe(true);
  });

  it("answers 502 when the upstream resets the connection before answering", async () => {
    upstream.script("/v1/chat/completions", { type: "reset-before-headers" });
    const { status, text, error } = await readError(await chat("up/m"));
    expect(status).toBe(502);
    expect(error.message).toContain("'up'");
    expect(text).not.toContain(UPSTREAM_KEY);
  });
});
