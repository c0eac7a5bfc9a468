/**
 * `gateway.request()` in-process: the same attempt loop as the HTTP server. Failover before the
 * first byte, the answering deployment and attempts reported, a streamed body, upstream errors as
 * rejected GatewayErrors with the status kept, a destroyed body aborting the upstream call, and
 * the HTTP path's parameter rules, with what they changed on the response.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "../../src/gateway/create-gateway.js";
import { GatewayError } from "../../src/errors/gateway-error.js";
import { sseData, startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";

const CHAT_PATH = "/v1/chat/completions";
let a: ScriptedUpstream;
let b: ScriptedUpstream;
let gateway: Gateway;

beforeAll(async () => {
  [a, b] = await Promise.all([startScriptedUpstream(), startScriptedUpstream()]);
  gateway = await createGateway({
    env: {},
    config: {
      timeouts: { connectMs: 300, firstByteMs: 2_000, idleMs: 2_000, totalMs: 5_000 },
      routing: { retryBaseDelayMs: 10, breaker: { consecutiveFailures: 100 } },
      providers: {
        a: { kind: "openai-compat", baseUrl: a.baseUrl },
        b: { kind: "openai-compat", baseUrl: b.baseUrl },
        ollama: { kind: "ollama", baseUrl: a.baseUrl },
        mistral: { kind: "mistral", baseUrl: a.baseUrl, apiKey: "sk-mistral-library" },
      },
      routes: { duo: { targets: ["a/m", "b/m"] } },
    },
  });
});

afterAll(async () => {
  await gateway?.close({ timeoutMs: 0 });
  await Promise.all([a?.close(), b?.close()]);
});

const messages = [{ role: "user", content: "hi" }];

describe("gateway.request()", () => {
  it("fails over before the first byte and says which deployment answered after how many attempts", async () => {
    a.script(CHAT_PATH, { type: "reset-before-headers" });
    const response = await gateway.request("chat", { model: "duo", messages });
    expect(response).toMatchObject({ status: 200, deployment: "b/m", attempts: 2 });
    expect(await response.json()).toMatchObject({ object: "chat.completion" });
    expect((b.requests.at(-1)?.json() as { model: string }).model).toBe("m");
  });

  it("streams the body as it arrives", async () => {
    a.script(CHAT_PATH, { type: "sse-chunks", chunks: [sseData({ choices: [{ index: 0, delta: { content: "hey" }, finish_reason: "stop" }] }), "data: [DONE]\n\n"] });
    const response = await gateway.request("chat", { model: "a/m", messages, stream: true });
    expect(await response.text()).toContain("data: [DONE]");
  });

  it("rejects with the last upstream error, status kept, when every attempt fails", async () => {
    const failure = { type: "json" as const, status: 400, body: { error: { message: "bad input", type: "invalid_request_error", param: "messages", code: null } } };
    a.script(CHAT_PATH, failure);
    const error = await gateway.request("chat", { model: "duo", messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, message: "bad input" });
  });

  it("aborts the upstream call when the caller destroys the body mid-stream", async () => {
    a.script(CHAT_PATH, { type: "stall", chunks: [sseData({ choices: [{ index: 0, delta: { content: "x" }, finish_reason: null }] })] });
    const before = a.requests.length;
    const response = await gateway.request("chat", { model: "a/m", messages, stream: true });
    response.body.once("data", () => response.body.destroy());
    const [, recorded] = [await a.waitForRequests(before + 1), a.requests[before]];
    expect(await recorded?.outcome).toBe("client-aborted");
  });
});

describe("gateway.request() with parameter rules", () => {
  it("applies a kind's rules and lists what it changed and dropped on the response", async () => {
    const before = a.requests.length;
    const response = await gateway.request("chat", { model: "ollama/llama3", messages, max_completion_tokens: 32, n: 2 });
    expect(a.requests[before]?.json()).toEqual({ model: "llama3", messages, max_tokens: 32 });
    expect(response.changedParams).toEqual(["max_completion_tokens->max_tokens"]);
    expect(response.droppedParams).toEqual(["n"]);
    expect(await response.json()).toMatchObject({ object: "chat.completion" });
  });

  it("reports empty lists when nothing was changed", async () => {
    const response = await gateway.request("chat", { model: "a/m", messages });
    expect(response).toMatchObject({ changedParams: [], droppedParams: [] });
    await response.text();
  });

  it("refuses a parameter the deployment would drop when strict, calling no upstream", async () => {
    const before = a.requests.length;
    const error = await gateway.request("chat", { model: "mistral/mistral-small", messages, reasoning_effort: "high" }, { strict: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, code: "unsupported_parameter", param: "reasoning_effort" });
    expect(a.requests.length).toBe(before);
  });

  it("names what it dropped on an upstream's error too", async () => {
    a.script(CHAT_PATH, { type: "json", status: 400, body: { error: { message: "nope", type: "invalid_request_error", param: null, code: null } } });
    const error = await gateway.request("chat", { model: "mistral/mistral-small", messages, reasoning_effort: "high" }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, message: "nope", headers: { "x-switchyard-dropped-params": "reasoning_effort" } });
  });
});
