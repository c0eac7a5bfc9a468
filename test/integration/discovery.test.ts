/**
 * @module test/integration/discovery.test
 * Model discovery and connection tests over real sockets: every list format (OpenAI-style,
 * Ollama `/api/tags` with its `/v1` fallback, OpenRouter, Anthropic and Gemini pagination, Azure
 * deployments) against scripted upstreams, and every diagnosis a connection test gives — refused,
 * DNS, TLS, timeout, reset, 401, 403, wrong path, HTML, model loading, server error, 200 without a list.
 * Only 127.0.0.1 servers started here are contacted: the refused port is one we bound and closed,
 * the TLS failure is https:// spoken to our plain-HTTP upstream, and the DNS failure uses the
 * reserved `.invalid` TLD, which is answered without any lookup (RFC 6761 §6.4).
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveProviders } from "../../src/config/resolve-providers.js";
import { discoverModels, discoveryInputFromSettings, DiscoveryError, testConnection } from "../../src/discovery/index.js";
import type { ConnectionTestResult, DiscoveryInput } from "../../src/discovery/index.js";
import { MAX_LIST_PAGES } from "../../src/discovery/discovery-limits.js";
import { PoolRegistry } from "../../src/upstream/pool-registry.js";
import { startScriptedUpstream } from "../support/scripted-upstream.js";
import type { ScriptedUpstream } from "../support/scripted-upstream.js";

/** Distinctive values that must never appear in a diagnosis. */
const KEY = "sk-discovery-Zq8RvN3xK2wP";
const REFERER = "https://referer.switchyard.example/hdr-Ty6Um4";
const HEADERS = { "HTTP-Referer": REFERER };

let upstream: ScriptedUpstream;

beforeAll(async () => {
  upstream = await startScriptedUpstream({ models: ["llama-3.1-8b", "nomic-embed-text", "whisper-1", "kokoro"] });
});

afterAll(async () => {
  await upstream.close();
});

/** A port on 127.0.0.1 where nothing listens: bind to 0, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function input(overrides: Partial<DiscoveryInput> = {}): DiscoveryInput {
  return { kind: "openai-compat", baseUrl: upstream.baseUrl, apiKey: KEY, headers: HEADERS, ...overrides };
}

/** Requests recorded from now on. */
function requestsSince(): () => ScriptedUpstream["requests"] {
  const start = upstream.requests.length;
  return () => upstream.requests.slice(start);
}

function expectNoSecrets(result: ConnectionTestResult): void {
  expect(result.diagnosis).not.toContain(KEY);
  expect(result.diagnosis).not.toContain(REFERER);
  expect(result.diagnosis).not.toContain("hdr-Ty6Um4");
}

describe("discoverModels, OpenAI format", () => {
  it("lists and classifies the models from GET {base}/models with the key in a Bearer header", async () => {
    const since = requestsSince();
    const models = await discoverModels(input());
    expect(models.map((model) => [model.id, model.type])).toEqual([
      ["llama-3.1-8b", "chat"],
      ["nomic-embed-text", "embedding"],
      ["whisper-1", "stt"],
      ["kokoro", "tts"],
    ]);
    const [request] = since();
    expect(request?.path).toBe("/v1/models");
    expect(request?.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(request?.headers["http-referer"]).toBe(REFERER);
    expect(request?.url).not.toContain(KEY);
  });

  it("copes with Ollama's data: null, LM Studio's missing created and a bare array", async () => {
    upstream.script(
      "/v1/models",
      { type: "json", body: { object: "list", data: null } },
      { type: "json", body: { data: [{ id: "qwen3.5-35b-a3b", object: "model", owned_by: "organization_owner" }], object: "list" } },
      { type: "json", body: [{ id: "gpt-4", object: "model" }] },
    );
    expect(await discoverModels(input())).toEqual([]);
    expect(await discoverModels(input())).toEqual([{ id: "qwen3.5-35b-a3b", type: "chat", ownedBy: "organization_owner" }]);
    expect(await discoverModels(input())).toEqual([{ id: "gpt-4", type: "chat" }]);
  });

  it("reads Groq's context_window and vLLM's max_model_len", async () => {
    upstream.script(
      "/v1/models",
      { type: "json", body: { object: "list", data: [{ id: "llama-3.3-70b-versatile", object: "model", created: 1, owned_by: "Meta", context_window: 131072 }] } },
      { type: "json", body: { object: "list", data: [{ id: "meta-llama/Llama-3.1-8B-Instruct", object: "model", created: 1, owned_by: "vllm", max_model_len: 65536 }] } },
    );
    expect((await discoverModels(input({ kind: "groq" })))[0]?.contextWindow).toBe(131072);
    expect((await discoverModels(input({ kind: "vllm" })))[0]?.contextWindow).toBe(65536);
  });

  it("accepts resolved provider settings and a shared pool registry", async () => {
    const config = { providers: { "my-vllm": { kind: "vllm", baseUrl: upstream.baseUrl, apiKey: KEY } } };
    const settings = resolveProviders(config, {}).find((provider) => provider.name === "my-vllm");
    if (settings === undefined) throw new Error("provider my-vllm was not resolved");
    expect(await discoverModels(settings)).toHaveLength(4);
    const pools = new PoolRegistry();
    try {
      expect((await testConnection(discoveryInputFromSettings(settings, { pools }))).ok).toBe(true);
    } finally {
      await pools.destroy();
    }
  });

  it("throws a DiscoveryError carrying the code, the status and the diagnosis", async () => {
    upstream.script("/v1/models", { type: "json", status: 401, body: { error: "Unauthorized" } });
    const failure = await discoverModels(input()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DiscoveryError);
    expect(failure).toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("rejects with the caller's reason when the caller aborts", async () => {
    const controller = new AbortController();
    const reason = new Error("client went away");
    controller.abort(reason);
    await expect(testConnection(input(), { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe("discoverModels, Ollama", () => {
  const tags = {
    models: [
      { name: "llama3.2:latest", model: "llama3.2:latest", details: { format: "gguf", family: "llama", families: ["llama"], parameter_size: "3.2B" } },
      { name: "nomic-embed-text:latest", model: "nomic-embed-text:latest", details: { format: "gguf", family: "nomic-bert", families: ["nomic-bert"] } },
    ],
  };

  it("asks /api/tags at the origin without /v1 and classifies by family", async () => {
    const since = requestsSince();
    upstream.script("/api/tags", { type: "json", body: tags });
    const models = await discoverModels(input({ kind: "ollama", apiKey: "ollama" }));
    expect(models).toEqual([
      { id: "llama3.2:latest", type: "chat", ownedBy: "library" },
      { id: "nomic-embed-text:latest", type: "embedding", ownedBy: "library" },
    ]);
    expect(since().map((request) => request.path)).toEqual(["/api/tags"]);
  });

  it("falls back to /v1/models when /api/tags is not served", async () => {
    const since = requestsSince();
    // No script for /api/tags: the scripted upstream answers 404, like a proxy that only forwards /v1.
    const models = await discoverModels(input({ kind: "ollama" }));
    expect(models).toHaveLength(4);
    expect(since().map((request) => request.path)).toEqual(["/api/tags", "/v1/models"]);
  });

  it("does not retry /v1/models when nothing listens", async () => {
    const result = await testConnection(input({ kind: "ollama", baseUrl: `http://127.0.0.1:${await closedPort()}/v1` }));
    expect(result.code).toBe("refused");
  });
});

describe("discoverModels, OpenRouter", () => {
  it("turns per-token price strings into numbers per million", async () => {
    upstream.script("/api/v1/models", {
      type: "json",
      body: {
        data: [
          {
            id: "openai/gpt-4o-mini",
            name: "OpenAI: GPT-4o-mini",
            context_length: 128000,
            architecture: { input_modalities: ["text", "image"], output_modalities: ["text"] },
            pricing: { prompt: "0.00000015", completion: "0.0000006", request: "0" },
          },
        ],
      },
    });
    const models = await discoverModels(input({ kind: "openrouter", baseUrl: `${upstream.url}/api/v1` }));
    expect(models).toEqual([
      { id: "openai/gpt-4o-mini", type: "chat", displayName: "OpenAI: GPT-4o-mini", contextWindow: 128000, inputPricePerMillion: 0.15, outputPricePerMillion: 0.6, ownedBy: "openai" },
    ]);
  });
});

describe("discoverModels, Anthropic", () => {
  it("follows has_more with after_id and sends x-api-key plus anthropic-version", async () => {
    const since = requestsSince();
    upstream.script(
      "/v1/models",
      {
        type: "json",
        body: {
          data: [
            { id: "claude-sonnet-4-5", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z", type: "model" },
            { id: "claude-haiku-4-5", display_name: "Claude Haiku 4.5", created_at: "2025-10-01T00:00:00Z", type: "model" },
          ],
          has_more: true,
          first_id: "claude-sonnet-4-5",
          last_id: "claude-haiku-4-5",
        },
      },
      { type: "json", body: { data: [{ id: "claude-3-5-haiku-latest", display_name: "Claude Haiku 3.5", created_at: "2024-10-22T00:00:00Z", type: "model" }], has_more: false, first_id: "claude-3-5-haiku-latest", last_id: "claude-3-5-haiku-latest" } },
    );
    const models = await discoverModels(input({ kind: "anthropic", baseUrl: upstream.url }));
    expect(models.map((model) => [model.id, model.displayName, model.type])).toEqual([
      ["claude-sonnet-4-5", "Claude Sonnet 4.5", "chat"],
      ["claude-haiku-4-5", "Claude Haiku 4.5", "chat"],
      ["claude-3-5-haiku-latest", "Claude Haiku 3.5", "chat"],
    ]);
    const requests = since();
    expect(requests.map((request) => request.url)).toEqual(["/v1/models?limit=1000", "/v1/models?limit=1000&after_id=claude-haiku-4-5"]);
    for (const request of requests) {
      expect(request.headers["x-api-key"]).toBe(KEY);
      expect(request.headers["anthropic-version"]).toBe("2023-06-01");
      expect(request.headers["authorization"]).toBeUndefined();
    }
  });

  it("accepts a base URL that already ends in /v1", async () => {
    const since = requestsSince();
    upstream.script("/v1/models", { type: "json", body: { data: [], has_more: false, first_id: null, last_id: null } });
    expect(await discoverModels(input({ kind: "anthropic", baseUrl: `${upstream.url}/v1` }))).toEqual([]);
    expect(since()[0]?.path).toBe("/v1/models");
  });

  it("stops when has_more stays true but the cursor does not move", async () => {
    const since = requestsSince();
    const stuck = { type: "json", body: { data: [{ id: "claude-x", type: "model" }], has_more: true, last_id: "claude-x" } } as const;
    upstream.script("/v1/models", stuck, stuck);
    expect(await discoverModels(input({ kind: "anthropic", baseUrl: upstream.url }))).toEqual([{ id: "claude-x", type: "chat" }]);
    expect(since()).toHaveLength(2);
  });
});

describe("discoverModels, Gemini", () => {
  it("pages with pageToken and sends the key in x-goog-api-key, never in the URL", async () => {
    const since = requestsSince();
    upstream.script(
      "/v1beta/models",
      {
        type: "json",
        body: {
          models: [
            { name: "models/gemini-2.0-flash", displayName: "Gemini 2.0 Flash", inputTokenLimit: 1048576, supportedGenerationMethods: ["generateContent", "countTokens"] },
            { name: "models/imagen-3.0-generate-002", displayName: "Imagen 3", supportedGenerationMethods: ["predict"] },
          ],
          nextPageToken: "Chxtb2RlbHMv",
        },
      },
      { type: "json", body: { models: [{ name: "models/text-embedding-004", displayName: "Text Embedding 004", inputTokenLimit: 2048, supportedGenerationMethods: ["embedContent"] }] } },
    );
    const models = await discoverModels(input({ kind: "gemini", baseUrl: `${upstream.url}/v1beta/openai` }));
    expect(models).toEqual([
      { id: "gemini-2.0-flash", type: "chat", ownedBy: "google", displayName: "Gemini 2.0 Flash", contextWindow: 1048576 },
      { id: "text-embedding-004", type: "embedding", ownedBy: "google", displayName: "Text Embedding 004", contextWindow: 2048 },
    ]);
    const requests = since();
    expect(requests.map((request) => request.url)).toEqual(["/v1beta/models?pageSize=1000", "/v1beta/models?pageSize=1000&pageToken=Chxtb2RlbHMv"]);
    for (const request of requests) {
      expect(request.headers["x-goog-api-key"]).toBe(KEY);
      expect(request.headers["authorization"]).toBeUndefined();
      expect(request.url).not.toContain(KEY);
    }
  });

  it(`follows at most ${MAX_LIST_PAGES} pages from a server that never stops`, async () => {
    const since = requestsSince();
    // Every page names a next one; the cap, not the server, ends the listing.
    const pages = Array.from({ length: MAX_LIST_PAGES }, (_, index) => ({
      type: "json" as const,
      body: { models: [{ name: `models/gemini-page-${index}`, supportedGenerationMethods: ["generateContent"] }], nextPageToken: `token-${index}` },
    }));
    upstream.script("/v1beta/models", ...pages);
    expect(await discoverModels(input({ kind: "gemini", baseUrl: `${upstream.url}/v1beta/openai` }))).toHaveLength(MAX_LIST_PAGES);
    expect(since()).toHaveLength(MAX_LIST_PAGES);
  });
});

describe("discoverModels, Azure OpenAI", () => {
  it("lists deployments with the api-key header and the pinned api-version", async () => {
    const since = requestsSince();
    upstream.script("/openai/deployments", {
      type: "json",
      body: {
        data: [
          { id: "prod-chat", model: "gpt-4o", owner: "organization-owner", status: "succeeded", object: "deployment" },
          { id: "embedder", model: "text-embedding-3-large", owner: "organization-owner", status: "succeeded", object: "deployment" },
        ],
        object: "list",
      },
    });
    const models = await discoverModels(input({ kind: "azure", baseUrl: upstream.url }));
    expect(models.map((model) => [model.id, model.type, model.displayName])).toEqual([
      ["prod-chat", "chat", "prod-chat (gpt-4o)"],
      ["embedder", "embedding", "embedder (text-embedding-3-large)"],
    ]);
    const [request] = since();
    expect(request?.url).toBe("/openai/deployments?api-version=2022-12-01");
    expect(request?.headers["api-key"]).toBe(KEY);
    expect(request?.headers["authorization"]).toBeUndefined();
  });
});

describe("testConnection", () => {
  it("reports success with latency, status and model count", async () => {
    const result = await testConnection(input());
    expect(result).toMatchObject({ ok: true, code: "ok", status: 200, modelCount: 4 });
    expect(result.latencyMs).toEqual(expect.any(Number));
    expect(result.diagnosis).toContain("4 models");
    expectNoSecrets(result);
  });

  it("says nothing is listening on a closed port", async () => {
    const port = await closedPort();
    const result = await testConnection(input({ baseUrl: `http://127.0.0.1:${port}/v1` }));
    expect(result).toMatchObject({ ok: false, code: "refused", latencyMs: null });
    expect(result.status).toBeUndefined();
    expect(result.diagnosis).toContain(`Nothing is listening at 127.0.0.1:${port}`);
    expectNoSecrets(result);
  });

  it("says a host name does not resolve (reserved .invalid name, no lookup sent)", async () => {
    const result = await testConnection(input({ baseUrl: "http://switchyard-test.invalid:1/v1" }));
    expect(result).toMatchObject({ ok: false, code: "dns", latencyMs: null });
    expect(result.diagnosis).toContain("switchyard-test.invalid");
    expectNoSecrets(result);
  });

  it("reports a failed TLS handshake when https:// meets a plain-HTTP port", async () => {
    const result = await testConnection(input({ baseUrl: upstream.baseUrl.replace("http://", "https://") }));
    expect(result).toMatchObject({ ok: false, code: "tls", latencyMs: null });
    expect(result.diagnosis).toContain("http://");
    expectNoSecrets(result);
  });

  it("says the connection was cut when the server resets it before answering", async () => {
    upstream.script("/v1/models", { type: "reset-before-headers" });
    const result = await testConnection(input());
    expect(result).toMatchObject({ ok: false, code: "unreachable", latencyMs: null });
    expect(result.diagnosis).toContain("closed the connection");
    expectNoSecrets(result);
  });

  it("times out on a server that sends no first byte", async () => {
    upstream.script("/v1/models", { type: "slow-first-byte", delayMs: 3_000, then: { type: "json", body: { data: [] } } });
    const started = Date.now();
    const result = await testConnection(input(), { timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result).toMatchObject({ ok: false, code: "timeout", latencyMs: null });
    expect(result.diagnosis).toContain("200 ms");
    expectNoSecrets(result);
  });

  it("says the key was rejected on 401 without repeating it, even when the upstream echoes it", async () => {
    upstream.script("/v1/models", { type: "json", status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}`, type: "invalid_request_error", param: null, code: "invalid_api_key" } } });
    const result = await testConnection(input());
    expect(result).toMatchObject({ ok: false, code: "unauthorized", status: 401 });
    expect(result.latencyMs).toEqual(expect.any(Number));
    expect(result.diagnosis).toContain("rejected the API key");
    expectNoSecrets(result);
  });

  it("says a key is needed on 401 when the credential has none", async () => {
    upstream.script("/v1/models", { type: "text", status: 401, body: "" });
    const result = await testConnection(input({ apiKey: undefined }));
    expect(result).toMatchObject({ code: "unauthorized" });
    expect(result.diagnosis).toContain("has none");
  });

  it("quotes a 403 reason with the key and header values redacted", async () => {
    upstream.script("/v1/models", { type: "json", status: 403, body: { error: { message: `Key ${KEY} from ${REFERER} is not allowed`, code: 403 } } });
    const result = await testConnection(input());
    expect(result).toMatchObject({ ok: false, code: "forbidden", status: 403 });
    expect(result.diagnosis).toContain("[redacted]");
    expectNoSecrets(result);
  });

  it("suggests /v1 when the base URL lacks it and the server answers 404", async () => {
    const result = await testConnection(input({ baseUrl: upstream.url }));
    expect(result).toMatchObject({ ok: false, code: "not_found_path", status: 404 });
    expect(result.diagnosis).toContain(`try ${upstream.url}/v1`);
    expectNoSecrets(result);
  });

  it("points out a doubled /v1/v1", async () => {
    const result = await testConnection(input({ baseUrl: `${upstream.url}/v1/v1` }));
    expect(result).toMatchObject({ code: "not_found_path", status: 404 });
    expect(result.diagnosis).toContain("repeats /v1");
    expect(result.diagnosis).toContain(`try ${upstream.url}/v1.`);
  });

  it("recognises LM Studio's 200 answer to a path it does not serve", async () => {
    upstream.script("/models", { type: "json", body: { error: "Unexpected endpoint or method. (GET /models)" } });
    const result = await testConnection(input({ baseUrl: upstream.url }));
    expect(result).toMatchObject({ ok: false, code: "not_found_path", status: 200 });
    expect(result.diagnosis).toContain(`try ${upstream.url}/v1`);
  });

  it("says when an HTML page comes back instead of JSON", async () => {
    upstream.script("/v1/models", { type: "text", status: 200, contentType: "text/html", body: "<!DOCTYPE html><html><head><title>Open WebUI</title></head><body></body></html>" });
    const result = await testConnection(input());
    expect(result).toMatchObject({ ok: false, code: "bad_response", status: 200 });
    expect(result.diagnosis).toContain("HTML page");
    expect(result.diagnosis).toContain("Open WebUI");
  });

  it("reports llama.cpp's 503 'Loading model' as a model still loading", async () => {
    upstream.script("/v1/models", { type: "json", status: 503, body: { error: { code: 503, message: "Loading model", type: "unavailable_error" } }, headers: { "retry-after": "10" } });
    const result = await testConnection(input({ kind: "llamacpp" }));
    expect(result).toMatchObject({ ok: false, code: "model_loading", status: 503 });
    expect(result.diagnosis).toContain("Loading model");
  });

  it("reports a 500 as a server error with the server's own message", async () => {
    upstream.script("/v1/models", { type: "json", status: 500, body: { error: { message: "CUDA out of memory", type: "InternalServerError", param: null, code: 500 } } });
    const result = await testConnection(input());
    expect(result).toMatchObject({ ok: false, code: "server_error", status: 500 });
    expect(result.diagnosis).toContain("CUDA out of memory");
  });

  it("reports a non-JSON 200 as a bad response", async () => {
    upstream.script("/v1/models", { type: "text", status: 200, body: "Ollama is running" });
    const result = await testConnection(input());
    expect(result).toMatchObject({ ok: false, code: "bad_response", status: 200 });
  });

  it("reports an empty list as connected, with advice to load a model", async () => {
    upstream.script("/v1/models", { type: "json", body: { object: "list", data: [] } });
    const result = await testConnection(input());
    expect(result).toMatchObject({ ok: true, code: "ok", modelCount: 0 });
    expect(result.diagnosis).toContain("no models");
  });
});
