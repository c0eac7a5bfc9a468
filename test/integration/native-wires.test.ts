/**
 * @module test/integration/native-wires
 * Anthropic's native Messages API and Azure OpenAI's deployment URLs on the request path, end to
 * end: the official `openai` SDK talks to a real gateway, which talks to a 127.0.0.1 double
 * replaying the recorded transcripts in test/fixtures/ (anthropic-*, azure-*) byte for byte.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageEvent } from "../../src/compat/usage.js";
import { DISABLED_BUILTINS } from "../support/disabled-builtins.js";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream, type CannedResponse, type ScriptedUpstream } from "../support/scripted-upstream.js";
import { fixtureBytes, sseEvents } from "../support/transcript-upstream.js";

const ANTHROPIC_KEY = "sk-ant-api03-native-wire-key-0123";
const AZURE_KEY = "azure-native-wire-key-0123456789";

/** A transcript replayed as it was recorded: one event per write. */
function sseFixture(name: string): CannedResponse {
  return { type: "sse-chunks", chunks: sseEvents(fixtureBytes(name)).map((event) => event.toString("utf8")) };
}

/** A JSON transcript with the status in its name (`…-error-529.json`), bytes unchanged. */
function jsonFixture(name: string, status = Number(/-error-(\d{3})\.json$/.exec(name)?.[1] ?? 200)): CannedResponse {
  return { type: "text", status, body: fixtureBytes(name).toString("utf8"), contentType: "application/json" };
}

function client(gateway: TestGateway): OpenAI {
  return new OpenAI({ baseURL: gateway.baseUrl, apiKey: "client-key-never-forwarded", maxRetries: 0 });
}

const WEATHER_TOOL = {
  type: "function",
  function: { name: "get_weather", description: "Current weather", parameters: { type: "object", properties: { location: { type: "string" } } } },
} as const;

describe("the anthropic kind on the native Messages API", () => {
  let upstream: ScriptedUpstream;
  let gateway: TestGateway;
  let openai: OpenAI;

  beforeAll(async () => {
    upstream = await startScriptedUpstream();
    gateway = await startGateway({
      env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY },
      config: {
        providers: {
          anthropic: { kind: "anthropic", baseUrl: upstream.baseUrl, apiKey: "env:ANTHROPIC_API_KEY" },
          backup: { kind: "anthropic", baseUrl: upstream.url, apiKey: "env:ANTHROPIC_API_KEY" },
        },
        routes: { claude: { targets: ["anthropic/claude-sonnet-4-5", "backup/claude-sonnet-4-5"] } },
        routing: { maxAttempts: 3, retryBaseDelayMs: 1, retryMaxDelayMs: 2 },
      },
    });
    openai = client(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it("translates a chat request to /v1/messages with x-api-key and anthropic-version, and the answer back", async () => {
    upstream.script("/v1/messages", jsonFixture("anthropic-message-text.json"));
    const before = upstream.requests.length;
    const { data, response } = await openai.chat.completions
      .create({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello" }], max_tokens: 64 })
      .withResponse();
    const request = upstream.requests[before];
    expect(request?.path).toBe("/v1/messages");
    expect(request?.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(request?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.json()).toEqual({ model: "claude-sonnet-4-5", max_tokens: 64, system: [{ type: "text", text: "Be brief." }], messages: [{ role: "user", content: "Hello" }] });
    expect(data.object).toBe("chat.completion");
    expect(data.choices[0]?.message.content).toBe("Hi! My name is Claude.");
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage).toMatchObject({ prompt_tokens: 2095, completion_tokens: 503, total_tokens: 2598 });
    expect(Number(response.headers.get("content-length"))).toBe(Buffer.byteLength(JSON.stringify(data)));
    expect(response.headers.get("x-switchyard-deployment")).toBe("anthropic/claude-sonnet-4-5");
  });

  it("streams text deltas, the finish reason and the usage chunk the client asked for", async () => {
    upstream.script("/v1/messages", sseFixture("anthropic-text.sse"));
    const before = upstream.requests.length;
    const stream = await openai.chat.completions.create({
      model: "anthropic/claude-sonnet-4-5",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const finishReasons: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined | null;
    let last: OpenAI.ChatCompletionChunk | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      const reason = chunk.choices[0]?.finish_reason;
      if (reason) finishReasons.push(reason);
      usage = chunk.usage ?? usage;
      last = chunk;
    }
    expect((upstream.requests[before]?.json() as { stream?: boolean }).stream).toBe(true);
    expect(text).toBe("Hello!");
    expect(finishReasons).toEqual(["stop"]);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 15, total_tokens: 40 });
    expect(usage).toBe(last?.usage);
  });

  it("translates tools and answers with tool calls", async () => {
    upstream.script("/v1/messages", jsonFixture("anthropic-message-tool-use.json"));
    const before = upstream.requests.length;
    const data = await openai.chat.completions.create({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Weather in SF?" }], tools: [WEATHER_TOOL], tool_choice: "required" });
    const sent = upstream.requests[before]?.json() as { tools: unknown; tool_choice: unknown };
    expect(sent.tools).toEqual([{ name: "get_weather", description: "Current weather", input_schema: WEATHER_TOOL.function.parameters }]);
    expect(sent.tool_choice).toEqual({ type: "any" });
    const call = data.choices[0]?.message.tool_calls?.[0];
    expect(data.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call?.type === "function" ? call.function.name : undefined).toBe("get_weather");
    expect(call?.type === "function" ? JSON.parse(call.function.arguments) : undefined).toEqual({ location: "San Francisco, CA", unit: "celsius" });
    expect(data.usage).toBeUndefined();
  });

  it("streams tool-call argument deltas", async () => {
    upstream.script("/v1/messages", sseFixture("anthropic-tool-use.sse"));
    const stream = await openai.chat.completions.create({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Weather in SF?" }], tools: [WEATHER_TOOL], stream: true });
    let name = "";
    let args = "";
    let finish: string | null | undefined;
    let argumentChunks = 0;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        name += call.function?.name ?? "";
        if (call.function?.arguments) argumentChunks += 1;
        args += call.function?.arguments ?? "";
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe("get_weather");
    expect(JSON.parse(args)).toEqual({ location: "San Francisco, CA" });
    expect(argumentChunks).toBeGreaterThan(1);
    expect(finish).toBe("tool_calls");
  });

  it("names the parameters the translation dropped in x-switchyard-dropped-params", async () => {
    upstream.script("/v1/messages", jsonFixture("anthropic-message-text.json"));
    const { response } = await openai.chat.completions.create({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }], seed: 7, logprobs: true }).withResponse();
    expect(response.headers.get("x-switchyard-dropped-params")).toBe("seed, logprobs");
  });

  it("refuses a request Anthropic cannot express with 400 before any call", async () => {
    const before = upstream.requests.length;
    const error = await openai.chat.completions.create({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }], n: 2 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("n");
    expect(upstream.requests.length).toBe(before);
  });

  it("maps Anthropic's 404 error to the OpenAI error body with the status kept", async () => {
    upstream.script("/v1/messages", jsonFixture("anthropic-error-404.json"));
    const error = await openai.chat.completions.create({ model: "anthropic/claude-nope", messages: [{ role: "user", content: "Hi" }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    const api = error as InstanceType<typeof OpenAI.NotFoundError>;
    expect(api.code).toBe("not_found_error");
    expect(api.message).toContain("The requested resource could not be found. (Anthropic request id req_011CSHoEeqs5C35K2UUqR7Fy)");
  });

  it("retries a 529 overloaded answer", async () => {
    upstream.script("/v1/messages", jsonFixture("anthropic-error-529.json"), jsonFixture("anthropic-message-text.json"));
    const { data, response } = await openai.chat.completions.create({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe("Hi! My name is Claude.");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
  });

  it("fails over from an overloaded deployment to the next one of a route", async () => {
    upstream.script("/v1/messages", jsonFixture("anthropic-error-529.json"), jsonFixture("anthropic-message-text.json"));
    const { response } = await openai.chat.completions.create({ model: "claude", messages: [{ role: "user", content: "Hi" }] }).withResponse();
    expect(response.headers.get("x-switchyard-deployment")).toBe("backup/claude-sonnet-4-5");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
  });

  it("returns the last 529 when every attempt was overloaded", async () => {
    const overloaded = jsonFixture("anthropic-error-529.json");
    upstream.script("/v1/messages", overloaded, overloaded, overloaded);
    const error = await openai.chat.completions.create({ model: "anthropic/claude-overloaded", messages: [{ role: "user", content: "Hi" }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const api = error as InstanceType<typeof OpenAI.APIError>;
    expect(api.status).toBe(529);
    expect(api.code).toBe("overloaded_error");
    expect(api.headers?.get("x-switchyard-attempts")).toBe("3");
  });

  it("ends the client's stream with an error event when Anthropic sends an in-band overloaded error mid-stream, and counts it against the breaker", async () => {
    upstream.script("/v1/messages", sseFixture("anthropic-error-overloaded.sse"));
    const stream = await openai.chat.completions.create({ model: "anthropic/claude-inband", messages: [{ role: "user", content: "Hi" }], stream: true });
    let text = "";
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((caught: unknown) => caught);
    expect(text).toBe("ello frien");
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain("Overloaded");
    const health = gateway.gateway.deploymentHealth().find((entry) => entry.id === "anthropic/claude-inband");
    expect(health?.breaker.consecutiveFailures).toBe(1);
    expect(health?.lastError).toMatchObject({ status: 529, code: "upstream_error" });
    expect(health?.lastError?.message).toContain("Overloaded");
  });

  it("fails over an in-band error that arrives before the first byte", async () => {
    const errorOnly = `event: error\ndata: ${fixtureBytes("anthropic-error-529.json").toString("utf8")}\n\n`;
    upstream.script("/v1/messages", { type: "sse-chunks", chunks: [errorOnly] }, sseFixture("anthropic-text.sse"));
    const stream = await openai.chat.completions.create({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }], stream: true }).withResponse();
    let text = "";
    for await (const chunk of stream.data) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello!");
    expect(stream.response.headers.get("x-switchyard-attempts")).toBe("2");
  });
});

describe("the anthropic kind's usage and library calls", () => {
  let upstream: ScriptedUpstream;
  let gateway: TestGateway;
  const events: UsageEvent[] = [];

  beforeAll(async () => {
    upstream = await startScriptedUpstream();
    gateway = await startGateway({
      env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY },
      config: { providers: { anthropic: { kind: "anthropic", baseUrl: upstream.baseUrl, apiKey: "env:ANTHROPIC_API_KEY" } } },
      onUsage: (event) => events.push(event),
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it("reports translated usage to the usage listener, for JSON and streams, without asking the client's stream for it", async () => {
    upstream.script("/v1/messages", jsonFixture("anthropic-message-text.json"), sseFixture("anthropic-text.sse"));
    const openai = client(gateway);
    await openai.chat.completions.create({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }] });
    const stream = await openai.chat.completions.create({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }], stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((chunk) => chunk.usage !== undefined && chunk.usage !== null)).toBe(false);
    expect(events.map((event) => [event.stream, event.complete, event.usage?.promptTokens, event.usage?.completionTokens])).toEqual([
      [false, true, 2095, 503],
      [true, true, 25, 15],
    ]);
  });

  it("translates a gateway.request() call and its JSON answer, with usage reported", async () => {
    upstream.script("/v1/messages", jsonFixture("anthropic-message-text.json"));
    const before = upstream.requests.length;
    events.length = 0;
    const response = await gateway.gateway.request("chat", { model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }], seed: 7 });
    expect(upstream.requests[before]?.path).toBe("/v1/messages");
    expect(response.droppedParams).toEqual(["seed"]);
    const text = await response.text();
    expect(Number(response.headers["content-length"])).toBe(Buffer.byteLength(text));
    const data = JSON.parse(text) as OpenAI.ChatCompletion;
    expect(data.object).toBe("chat.completion");
    expect(data.choices[0]?.message.content).toBe("Hi! My name is Claude.");
    expect(events.map((event) => [event.stream, event.usage?.promptTokens])).toEqual([[false, 2095]]);
  });

  it("translates a gateway.request() stream to chat.completion.chunk events", async () => {
    upstream.script("/v1/messages", sseFixture("anthropic-text.sse"));
    const response = await gateway.gateway.request("chat", { model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }], stream: true, stream_options: { include_usage: true } });
    const events = (await response.text()).split("\n\n").filter((event) => event.startsWith("data: "));
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice("data: ".length)) as OpenAI.ChatCompletionChunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("Hello!");
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 15 });
  });

  it("destroys a gateway.request() body with the in-band error Anthropic sends mid-stream", async () => {
    upstream.script("/v1/messages", sseFixture("anthropic-error-overloaded.sse"));
    const response = await gateway.gateway.request("chat", { model: "anthropic/claude-inband", messages: [{ role: "user", content: "Hi" }], stream: true });
    const error = await response.text().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 529, code: "upstream_error" });
    expect((error as Error).message).toContain("Overloaded");
  });

  it("refuses a gateway.request() call Anthropic cannot express with 400 before any call", async () => {
    const before = upstream.requests.length;
    const error = await gateway.gateway.request("chat", { model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }], n: 2 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, param: "n" });
    expect(upstream.requests.length).toBe(before);
  });
});

describe("the anthropic kind with api: openai-compatible", () => {
  let upstream: ScriptedUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startScriptedUpstream();
    gateway = await startGateway({
      env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY },
      config: { providers: { anthropic: { kind: "anthropic", api: "openai-compatible", baseUrl: upstream.baseUrl, apiKey: "env:ANTHROPIC_API_KEY" } } },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it("passes the body through to /v1/chat/completions with a Bearer key", async () => {
    const before = upstream.requests.length;
    const data = await client(gateway).chat.completions.create({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }] });
    expect(data.object).toBe("chat.completion");
    expect(upstream.requests[before]?.path).toBe("/v1/chat/completions");
    expect(upstream.requests[before]?.headers.authorization).toBe(`Bearer ${ANTHROPIC_KEY}`);
  });
});

describe("the azure kind with an api-version and deployments", () => {
  let upstream: ScriptedUpstream;
  let gateway: TestGateway;
  let openai: OpenAI;

  beforeAll(async () => {
    upstream = await startScriptedUpstream();
    gateway = await startGateway({
      env: { AZURE_OPENAI_API_KEY: AZURE_KEY },
      config: {
        providers: {
          azure: { kind: "azure", baseUrl: `${upstream.url}/openai/v1`, apiKey: "env:AZURE_OPENAI_API_KEY", azure: { apiVersion: "2024-10-21", deployments: { "gpt-4o": "prod-4o" } } },
          azurev1: { kind: "azure", baseUrl: `${upstream.url}/openai/v1`, apiKey: "env:AZURE_OPENAI_API_KEY" },
        },
      },
    });
    openai = client(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  const DEPLOYMENT_PATH = "/openai/deployments/prod-4o/chat/completions";

  it("calls the mapped deployment's path with api-version and the api-key header", async () => {
    upstream.script(DEPLOYMENT_PATH, { type: "json", body: { id: "c", object: "chat.completion", created: 1, model: "gpt-4o", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }] } });
    const before = upstream.requests.length;
    const { data, response } = await openai.chat.completions.create({ model: "azure/gpt-4o", messages: [{ role: "user", content: "Hi" }] }).withResponse();
    const request = upstream.requests[before];
    expect(request?.url).toBe(`${DEPLOYMENT_PATH}?api-version=2024-10-21`);
    expect(request?.headers["api-key"]).toBe(AZURE_KEY);
    expect(request?.headers.authorization).toBeUndefined();
    expect(data.choices[0]?.message.content).toBe("ok");
    expect(response.headers.get("x-switchyard-deployment")).toBe("azure/prod-4o");
  });

  it("drops Azure's empty prompt-filter first chunk from a stream", async () => {
    upstream.script(DEPLOYMENT_PATH, sseFixture("azure-stream-prompt-filter.sse"));
    const stream = await openai.chat.completions.create({ model: "azure/gpt-4o", messages: [{ role: "user", content: "Hi" }], stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks[0]?.choices.length).toBeGreaterThan(0);
    expect(chunks[0]?.id).not.toBe("");
    expect(chunks.some((chunk) => "prompt_filter_results" in chunk)).toBe(false);
  });

  it("drops the prompt-filter chunk on the v1 API form as well", async () => {
    upstream.script("/openai/v1/chat/completions", sseFixture("azure-stream-prompt-filter.sse"));
    const before = upstream.requests.length;
    const stream = await openai.chat.completions.create({ model: "azurev1/my-deployment", messages: [{ role: "user", content: "Hi" }], stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(upstream.requests[before]?.url).toBe("/openai/v1/chat/completions");
    expect((upstream.requests[before]?.json() as { model: string }).model).toBe("my-deployment");
    expect(chunks[0]?.choices.length).toBeGreaterThan(0);
  });

  it("drops the prompt-filter chunk from a gateway.request() stream", async () => {
    upstream.script(DEPLOYMENT_PATH, sseFixture("azure-stream-prompt-filter.sse"));
    const response = await gateway.gateway.request("chat", { model: "azure/gpt-4o", messages: [{ role: "user", content: "Hi" }], stream: true });
    const text = await response.text();
    expect(text).toContain("data: [DONE]");
    expect(text).not.toContain("prompt_filter_results");
  });

  it("maps a content-filter refusal to an OpenAI error naming the categories", async () => {
    upstream.script(DEPLOYMENT_PATH, jsonFixture("azure-error-content-filter.json", 400));
    const error = await openai.chat.completions.create({ model: "azure/gpt-4o", messages: [{ role: "user", content: "Hi" }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const api = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(api.code).toBe("content_filter");
    expect(api.param).toBe("prompt");
    expect(api.message).toContain("sexual (high)");
  });

  it("refuses a model name that cannot be a deployment with 400 naming model", async () => {
    const before = upstream.requests.length;
    const error = await openai.chat.completions.create({ model: "azure/bad%2Fname", messages: [{ role: "user", content: "Hi" }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("model");
    expect(upstream.requests.length).toBe(before);
  });
});

describe("an azure credential stored with the console's provider fields", () => {
  let dataDir: string;
  let upstream: ScriptedUpstream;
  let gateway: TestGateway;

  const answer = (): CannedResponse => ({
    type: "json",
    body: { id: "c", object: "chat.completion", created: 1, model: "gpt-4o", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }] },
  });

  async function addCredential(name: string, providerFields: Record<string, unknown>): Promise<number> {
    const response = await fetch(`${gateway.url}/api/credentials`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, kind: "azure", base_url: `${upstream.url}/openai/v1`, api_key: AZURE_KEY, provider_fields: providerFields }),
    });
    return response.status;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "switchyard-native-wires-"));
    upstream = await startScriptedUpstream();
    gateway = await startGateway({ dataDir, config: { providers: DISABLED_BUILTINS } });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it("routes to the deployment path with the stored api_version and deployment map", async () => {
    expect(await addCredential("foundry", { endpoint: upstream.url, api_version: "2024-10-21", deployments: { "gpt-4o": "prod-4o" } })).toBe(201);
    upstream.script("/openai/deployments/prod-4o/chat/completions", answer());
    const before = upstream.requests.length;
    const data = await client(gateway).chat.completions.create({ model: "foundry/gpt-4o", messages: [{ role: "user", content: "Hi" }] });
    expect(data.object).toBe("chat.completion");
    expect(upstream.requests[before]?.url).toBe("/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21");
    expect(upstream.requests[before]?.headers["api-key"]).toBe(AZURE_KEY);
  });

  it("makes a credential with an api_version Azure would refuse unusable, not the gateway", async () => {
    expect(await addCredential("broken", { api_version: "yesterday" })).toBe(201);
    const error = await client(gateway).chat.completions.create({ model: "broken/gpt-4o", messages: [{ role: "user", content: "Hi" }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain("api-version");
    upstream.script("/openai/deployments/prod-4o/chat/completions", answer());
    const data = await client(gateway).chat.completions.create({ model: "foundry/gpt-4o", messages: [{ role: "user", content: "Hi" }] });
    expect(data.object).toBe("chat.completion");
  });
});
