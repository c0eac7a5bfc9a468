/**
 * `gateway.request()` in-process: the same attempt loop as the HTTP server. Failover before the
 * first byte, the answering deployment and attempts reported, a streamed body, upstream errors as
 * rejected GatewayErrors with the status kept, and a destroyed body aborting the upstream call.
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
      providers: { a: { kind: "openai-compat", baseUrl: a.baseUrl }, b: { kind: "openai-compat", baseUrl: b.baseUrl } },
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
