/**
 * @module test/integration/parameter-rules.test
 * Provider parameter rules end to end (issue 5): what the upstream receives, the
 * `x-switchyard-changed-params` / `x-switchyard-dropped-params` headers on success and error
 * answers, strict mode (header and config), reasoning text in one field, usage handed to the
 * `onUsage` hook (asked for, then hidden from the client), and base64 embeddings from an upstream
 * that answers floats. One gateway in front of one scripted upstream on 127.0.0.1.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UsageEvent } from "../../src/compat/usage.js";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { sseData, startScriptedUpstream, type RecordedRequest, type ScriptedUpstream } from "../support/scripted-upstream.js";

const CHAT_PATH = "/v1/chat/completions";
let upstream: ScriptedUpstream;
let gateway: TestGateway;
const usage: UsageEvent[] = [];

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  const at = { baseUrl: upstream.baseUrl, apiKey: "sk-upstream" };
  gateway = await startGateway({
    config: {
      providers: {
        ollama: { kind: "ollama", ...at },
        vllm: { kind: "vllm", ...at },
        mistral: { kind: "mistral", ...at },
        groq: { kind: "groq", ...at },
        openrouter: { kind: "openrouter", ...at },
        generic: { kind: "openai-compat", ...at },
        "strict-box": { kind: "ollama", ...at, parameterPolicy: { tool_choice: "strict" } },
        lm_studio: { kind: "lm_studio", enabled: false },
        llamacpp: { kind: "llamacpp", enabled: false },
      },
      routes: { careful: { targets: ["mistral/mistral-small", "ollama/qwen3"] } },
      routing: { maxAttempts: 1 },
    },
    onUsage: (event) => usage.push(event),
  });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

beforeEach(() => {
  usage.length = 0;
});

async function post(body: unknown, headers: Record<string, string> = {}, path = "/v1/chat/completions"): Promise<{ response: Response; text: string; request: RecordedRequest | undefined }> {
  const before = upstream.requests.length;
  const response = await fetch(`${gateway.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { response, text, request: upstream.requests[before] };
}

const MESSAGES = [{ role: "user", content: "hi" }];

describe("parameter rules", () => {
  it("sends a request no rule names byte for byte, with only the model changed and no notes", async () => {
    const raw = '{ "model" : "ollama/llama3",  "messages":[{"role":"user","content":"hi"}], "temperature":1.50, "top_p" :0.9 }';
    const { response, request } = await post(raw);
    expect(response.status).toBe(200);
    expect(request?.body.toString()).toBe(raw.replace('"ollama/llama3"', '"llama3"'));
    expect(response.headers.get("x-switchyard-changed-params")).toBeNull();
    expect(response.headers.get("x-switchyard-dropped-params")).toBeNull();
  });

  it("renames max_completion_tokens for Ollama and reports it on the answer", async () => {
    const { response, request } = await post({ model: "ollama/llama3", messages: MESSAGES, max_completion_tokens: 32, n: 2 });
    expect(request?.json()).toEqual({ model: "llama3", messages: MESSAGES, max_tokens: 32 });
    expect(response.headers.get("x-switchyard-changed-params")).toBe("max_completion_tokens->max_tokens");
    expect(response.headers.get("x-switchyard-dropped-params")).toBe("n");
  });

  it("reports what it changed on an upstream's error answer too", async () => {
    upstream.script(CHAT_PATH, { type: "json", status: 400, body: { error: { message: "bad tools", type: "invalid_request_error", param: null, code: null } } });
    const { response, text } = await post({ model: "vllm/qwen", messages: MESSAGES, tools: [], tool_choice: "none" });
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ error: { message: "bad tools" } });
    expect(response.headers.get("x-switchyard-dropped-params")).toBe("tools, tool_choice");
  });

  it("drops stream_options from a non-streaming vLLM call and still reports the usage of its answer", async () => {
    const { request, response } = await post({ model: "vllm/qwen", messages: MESSAGES, stream_options: { include_usage: true } });
    expect(request?.json()).not.toHaveProperty("stream_options");
    expect(response.headers.get("x-switchyard-dropped-params")).toBe("stream_options");
    expect(usage.at(-1)).toMatchObject({ deployment: "vllm/qwen", stream: false, usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 } });
  });

  it("moves reasoning_effort into OpenRouter's own field", async () => {
    const { request, response } = await post({ model: "openrouter/deepseek/deepseek-r1", messages: MESSAGES, reasoning_effort: "low" });
    expect(request?.json()).toEqual({ model: "deepseek/deepseek-r1", messages: MESSAGES, reasoning: { effort: "low" } });
    expect(response.headers.get("x-switchyard-changed-params")).toBe("reasoning_effort->reasoning.effort");
  });

  it("drops an unsupported reasoning effort with a note by default", async () => {
    const { request, response } = await post({ model: "mistral/mistral-small", messages: MESSAGES, reasoning_effort: "high" });
    expect(request?.json()).toEqual({ model: "mistral-small", messages: MESSAGES });
    expect(response.headers.get("x-switchyard-dropped-params")).toBe("reasoning_effort");
  });

  it("refuses an unsupported reasoning effort in strict mode with a 400 naming the parameter and the model, calling no upstream", async () => {
    const { response, text, request } = await post({ model: "mistral/mistral-small", messages: MESSAGES, reasoning_effort: "high" }, { "x-switchyard-strict": "true" });
    expect(response.status).toBe(400);
    expect(request).toBeUndefined();
    const { error } = JSON.parse(text) as { error: { message: string; param: string; code: string; type: string } };
    expect(error).toMatchObject({ code: "unsupported_parameter", param: "reasoning_effort", type: "invalid_request_error" });
    expect(error.message).toContain("mistral/mistral-small");
  });

  it("in strict mode skips a route's deployment that cannot take the parameter and uses one that can", async () => {
    const { response, request } = await post({ model: "careful", messages: MESSAGES, reasoning_effort: "high" }, { "x-switchyard-strict": "true" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-deployment")).toBe("ollama/qwen3");
    expect(request?.json()).toMatchObject({ model: "qwen3", reasoning_effort: "high" });
  });

  it("applies a provider's configured strict policy without any request header", async () => {
    const { response } = await post({ model: "strict-box/llama3", messages: MESSAGES, tool_choice: "required" });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-switchyard-deployment")).toBeNull();
    const passing = await post({ model: "strict-box/llama3", messages: MESSAGES, n: 4 });
    expect(passing.response.headers.get("x-switchyard-dropped-params")).toBe("n");
  });
});

describe("reasoning text", () => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    sseData({ id: "c1", object: "chat.completion.chunk", created: 1, model: "qwen3", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });

  it("reaches the client in one field when vLLM sends it in both", async () => {
    upstream.script(CHAT_PATH, {
      type: "sse-chunks",
      chunks: [chunk({ role: "assistant", content: "" }), chunk({ reasoning: "Two and two", reasoning_content: "Two and two" }), chunk({ content: "4" }), chunk({}, "stop"), sseData("[DONE]")],
    });
    const { text } = await post({ model: "vllm/qwen3", messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
    expect(text).toContain('"delta":{"reasoning_content":"Two and two"}');
    expect(text).not.toContain('"reasoning":');
    expect(text).toContain(chunk({ content: "4" }));
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("is renamed in a whole Ollama answer", async () => {
    upstream.script(CHAT_PATH, {
      type: "json",
      body: { id: "chatcmpl-7", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "4", reasoning: "2+2" }, finish_reason: "stop" }] },
    });
    const { text, response } = await post({ model: "ollama/qwen3", messages: MESSAGES });
    expect(response.headers.get("content-length")).toBeNull();
    expect(JSON.parse(text)).toMatchObject({ choices: [{ message: { content: "4", reasoning_content: "2+2" } }] });
    expect(text).not.toContain('"reasoning":');
  });
});

describe("usage in streams", () => {
  it("asks an include_usage upstream for usage, records it, and does not show the client the extra chunk", async () => {
    const { text, request, response } = await post({ model: "ollama/llama3", messages: MESSAGES, stream: true });
    expect(request?.json()).toMatchObject({ stream_options: { include_usage: true } });
    expect(response.headers.get("x-switchyard-changed-params")).toBe("stream_options.include_usage");
    expect(text).not.toContain('"choices":[]');
    expect(text).not.toContain('"usage"');
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(usage).toEqual([
      expect.objectContaining({ model: "ollama/llama3", deployment: "ollama/llama3", stream: true, complete: true, usage: expect.objectContaining({ promptTokens: 1, completionTokens: 5, totalTokens: 6 }) }),
    ]);
  });

  it("relays the usage chunk a client asked for itself", async () => {
    const { text } = await post({ model: "ollama/llama3", messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
    expect(text).toContain('"choices":[]');
    expect(usage.at(-1)?.usage?.totalTokens).toBe(6);
  });

  it("reads Groq's x_groq.usage without asking for anything", async () => {
    upstream.script(CHAT_PATH, {
      type: "sse-chunks",
      chunks: [
        sseData({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: null }], x_groq: { id: "req_1" } }),
        sseData({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], x_groq: { id: "req_1", usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 } } }),
        sseData("[DONE]"),
      ],
    });
    const { request } = await post({ model: "groq/llama-3.3-70b-versatile", messages: MESSAGES, stream: true });
    expect(request?.json()).not.toHaveProperty("stream_options");
    expect(usage.at(-1)?.usage).toMatchObject({ promptTokens: 12, completionTokens: 1, totalTokens: 13 });
  });

  it("records usage as unknown, not zero, when an upstream reports none", async () => {
    const { request } = await post({ model: "generic/scripted-chat", messages: MESSAGES, stream: true });
    expect(request?.json()).not.toHaveProperty("stream_options");
    expect(usage).toHaveLength(1);
    expect(usage[0]?.usage).toBeUndefined();
  });
});

describe("embeddings encoding_format", () => {
  it("gives the official SDK's default base64 request floats it can decode from an upstream that ignores the format", async () => {
    const vector = [0.25, -0.5, 0.125, 1];
    upstream.script("/v1/embeddings", { type: "json", body: { object: "list", data: [{ object: "embedding", index: 0, embedding: vector }], model: "bge", usage: { prompt_tokens: 2, total_tokens: 2 } } });
    const client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: "sk-client", maxRetries: 0 });
    const result = await client.embeddings.create({ model: "generic/bge", input: "hello" });
    expect(upstream.requests.at(-1)?.json()).toMatchObject({ encoding_format: "base64" });
    expect(result.data[0]?.embedding).toEqual(vector);
    expect(usage.at(-1)?.usage).toMatchObject({ promptTokens: 2, totalTokens: 2 });
  });

  it("passes an explicit float request through untouched", async () => {
    const { request, text } = await post({ model: "generic/scripted-embed", input: "hello", encoding_format: "float" }, {}, "/v1/embeddings");
    expect(request?.json()).toMatchObject({ encoding_format: "float" });
    expect(Array.isArray((JSON.parse(text) as { data: { embedding: unknown }[] }).data[0]?.embedding)).toBe(true);
  });
});
