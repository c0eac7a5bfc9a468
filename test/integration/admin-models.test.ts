/**
 * @module test/integration/admin-models.test
 * Discover, register and use models through the admin API, on a real SQLite file in a temp
 * directory: every list shape real servers send (OpenAI, `data: null`, no `created`, OpenRouter's
 * string prices, Ollama's native `/api/tags`), registering all, a selection or a custom name,
 * registered models in `GET /v1/models`, chats through the official `openai` SDK to
 * `<credential>/<model>`, defaults for `model: "default"` and for requests without a model, models
 * CRUD and model tests. Upstreams are scripted servers on 127.0.0.1 only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream, type CannedResponse, type RecordedRequest, type ScriptedUpstream } from "../support/scripted-upstream.js";
import { DISABLED_BUILTINS } from "../support/disabled-builtins.js";

const OA_KEY = "sk-oa-key-0123456789abcdefOAOA";
const OR_KEY = "sk-or-v1-0123456789abcdefORORx";

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

interface Discovered {
  id: string;
  type: string;
  display_name?: string;
  context_window?: number;
  input_price_per_million?: number;
  output_price_per_million?: number;
  owned_by?: string;
  registered: boolean;
}

interface Model {
  id: string;
  credential: string;
  name: string;
  upstream_model: string;
  display_name: string | null;
  type: string;
  context_window: number | null;
  input_price_per_million: number | null;
  output_price_per_million: number | null;
}

interface RegisterResult {
  registered: Model[];
  skipped: { name: string; reason: string }[];
}

interface ModelTest {
  ok: boolean;
  latency_ms: number | null;
  status: number | null;
  message: string;
}

interface Reply<T> {
  readonly status: number;
  readonly text: string;
  readonly body: T;
}

let dataDir: string;
let openai: ScriptedUpstream;
let empty: ScriptedUpstream;
let lmStudio: ScriptedUpstream;
let openrouter: ScriptedUpstream;
let ollama: ScriptedUpstream;
let gateway: TestGateway;
let client: OpenAI;
let downPort: number;

async function api<T>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: (text === "" ? undefined : JSON.parse(text)) as T };
}

async function createCredential(body: Record<string, unknown>): Promise<void> {
  const reply = await api("POST", "/api/credentials", body);
  expect(reply.status, reply.text).toBe(201);
}

async function discover(name: string): Promise<Discovered[]> {
  const reply = await api<{ data: Discovered[] }>("POST", `/api/credentials/${name}/discover`);
  expect(reply.status, reply.text).toBe(200);
  return reply.body.data;
}

async function register(name: string, body: Record<string, unknown>): Promise<RegisterResult> {
  const reply = await api<RegisterResult>("POST", `/api/credentials/${name}/register`, body);
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
}

/** The one request `send` caused at `upstream`. */
async function onlyRequest<T>(upstream: ScriptedUpstream, send: () => Promise<T>): Promise<{ result: T; request: RecordedRequest }> {
  const before = upstream.requests.length;
  const result = await send();
  const added = upstream.requests.slice(before);
  expect(added).toHaveLength(1);
  return { result, request: added[0] as RecordedRequest };
}

function repeated(times: number, response: CannedResponse): CannedResponse[] {
  return Array.from({ length: times }, () => response);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "switchyard-admin-models-"));
  [openai, empty, lmStudio, openrouter, ollama] = await Promise.all([
    startScriptedUpstream({ models: ["gpt-test", "text-embedding-3-small", "whisper-1"] }),
    startScriptedUpstream(),
    startScriptedUpstream(),
    startScriptedUpstream(),
    startScriptedUpstream({ models: ["llama3.1:8b", "nomic-embed-text:latest"] }),
  ]);
  downPort = await closedPort();
  // Ollama with nothing pulled answers `data: null`.
  empty.script("/v1/models", ...repeated(10, { type: "json", body: { object: "list", data: null } }));
  // LM Studio leaves out `created`.
  lmStudio.script(
    "/v1/models",
    ...repeated(10, { type: "json", body: { object: "list", data: [{ id: "qwen2.5-7b-instruct", object: "model", owned_by: "organization_owner" }, { id: "text-embedding-nomic-embed-text-v1.5", object: "model", owned_by: "organization_owner" }] } }),
  );
  // OpenRouter: no `object`/`owned_by`, a `name`, `context_length`, and prices as per-token strings.
  openrouter.script(
    "/v1/models",
    ...repeated(10, {
      type: "json",
      body: {
        data: [
          { id: "anthropic/claude-sonnet-4.5", name: "Anthropic: Claude Sonnet 4.5", created: 1_758_000_000, context_length: 1_000_000, pricing: { prompt: "0.000003", completion: "0.000015" }, architecture: { output_modalities: ["text"] } },
          { id: "openrouter/auto", name: "Auto Router", created: 1_700_000_000, context_length: 2_000_000, pricing: { prompt: "-1", completion: "-1" } },
        ],
      },
    }),
  );
  // Ollama's native list says more than /v1/models: the family tells an embedder apart.
  ollama.script(
    "/api/tags",
    ...repeated(10, {
      type: "json",
      body: {
        models: [
          { name: "llama3.1:8b", model: "llama3.1:8b", size: 4_920_753_328, details: { format: "gguf", family: "llama", families: ["llama"], parameter_size: "8.0B" } },
          { name: "nomic-embed-text:latest", model: "nomic-embed-text:latest", size: 274_302_450, details: { format: "gguf", family: "nomic-bert", families: ["nomic-bert"] } },
        ],
      },
    }),
  );
  gateway = await startGateway({
    dataDir,
    config: {
      providers: DISABLED_BUILTINS,
    },
  });
  client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: "sk-client-key-not-forwarded", maxRetries: 0, timeout: 5_000 });
  await createCredential({ name: "oa", kind: "openai-compat", base_url: openai.baseUrl, api_key: OA_KEY });
  await createCredential({ name: "empty", kind: "openai-compat", base_url: empty.baseUrl });
  await createCredential({ name: "lms", kind: "lm_studio", base_url: lmStudio.baseUrl });
  await createCredential({ name: "or", kind: "openrouter", base_url: openrouter.baseUrl, api_key: OR_KEY });
  await createCredential({ name: "ol", kind: "ollama", base_url: ollama.baseUrl });
  await createCredential({ name: "down", kind: "openai-compat", base_url: `http://127.0.0.1:${downPort}/v1` });
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all([openai, empty, lmStudio, openrouter, ollama].map((upstream) => upstream?.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("discover", () => {
  it("lists an OpenAI-style server's models with their type, asking with the stored key", async () => {
    const { result, request } = await onlyRequest(openai, () => discover("oa"));
    expect(result).toEqual([
      { id: "gpt-test", type: "chat", owned_by: "scripted", registered: false },
      { id: "text-embedding-3-small", type: "embedding", owned_by: "scripted", registered: false },
      { id: "whisper-1", type: "stt", owned_by: "scripted", registered: false },
    ]);
    expect(request.path).toBe("/v1/models");
    expect(request.headers.authorization).toBe(`Bearer ${OA_KEY}`);
  });

  it("treats data: null as an empty list", async () => {
    expect(await discover("empty")).toEqual([]);
  });

  it("accepts entries without created", async () => {
    expect((await discover("lms")).map((model) => [model.id, model.type])).toEqual([
      ["qwen2.5-7b-instruct", "chat"],
      ["text-embedding-nomic-embed-text-v1.5", "embedding"],
    ]);
  });

  it("turns OpenRouter's per-token price strings into numbers per million tokens", async () => {
    const models = await discover("or");
    expect(models).toEqual([
      {
        id: "anthropic/claude-sonnet-4.5",
        type: "chat",
        display_name: "Anthropic: Claude Sonnet 4.5",
        context_window: 1_000_000,
        input_price_per_million: 3,
        output_price_per_million: 15,
        owned_by: "anthropic",
        registered: false,
      },
      // "-1" means "varies" for routers: no price rather than a negative one.
      expect.not.objectContaining({ input_price_per_million: expect.anything() }),
    ]);
    expect(openrouter.requests.at(-1)?.headers.authorization).toBe(`Bearer ${OR_KEY}`);
  });

  it("reads Ollama's native /api/tags for kind ollama", async () => {
    const { result, request } = await onlyRequest(ollama, () => discover("ol"));
    expect(request.path).toBe("/api/tags");
    expect(result.map((model) => [model.id, model.type, model.owned_by])).toEqual([
      ["llama3.1:8b", "chat", "library"],
      ["nomic-embed-text:latest", "embedding", "library"],
    ]);
  });

  it("reports a provider that cannot be reached as a plain-language error", async () => {
    const reply = await api<ErrorBody>("POST", "/api/credentials/down/discover");
    // The diagnosis, as a bad-gateway error: the provider failed, not Switchyard.
    expect(reply.body.error.message).toContain(`Nothing is listening at 127.0.0.1:${downPort}`);
    expect(reply.status).toBe(502);
    const registering = await api<ErrorBody>("POST", "/api/credentials/down/register", { all: true });
    expect(registering.body.error.message).toContain(`Nothing is listening at 127.0.0.1:${downPort}`);
    expect(registering.status).toBe(502);
  });
});

describe("register", () => {
  it("registers every discovered model, and discovery then marks them registered", async () => {
    const result = await register("oa", { all: true });
    expect(result.skipped).toEqual([]);
    expect(result.registered.map((model) => [model.id, model.credential, model.upstream_model, model.type])).toEqual([
      ["oa/gpt-test", "oa", "gpt-test", "chat"],
      ["oa/text-embedding-3-small", "oa", "text-embedding-3-small", "embedding"],
      ["oa/whisper-1", "oa", "whisper-1", "stt"],
    ]);
    expect((await discover("oa")).every((model) => model.registered)).toBe(true);
    const again = await register("oa", { all: true });
    expect(again.registered).toEqual([]);
    expect(again.skipped.map((entry) => [entry.name, entry.reason])).toEqual([
      ["gpt-test", "already registered"],
      ["text-embedding-3-small", "already registered"],
      ["whisper-1", "already registered"],
    ]);
  });

  it("registers a selection with its prices, and reports a name the provider does not offer as skipped", async () => {
    const result = await register("or", { models: ["anthropic/claude-sonnet-4.5", "anthropic/claude-nonexistent"] });
    expect(result.registered).toEqual([
      expect.objectContaining({
        id: "or/anthropic/claude-sonnet-4.5",
        upstream_model: "anthropic/claude-sonnet-4.5",
        display_name: "Anthropic: Claude Sonnet 4.5",
        context_window: 1_000_000,
        input_price_per_million: 3,
        output_price_per_million: 15,
      }),
    ]);
    expect(result.skipped).toEqual([{ name: "anthropic/claude-nonexistent", reason: expect.stringMatching(/not offered by the provider/) }]);
    const discovered = await discover("or");
    expect(discovered.map((model) => [model.id, model.registered])).toEqual([
      ["anthropic/claude-sonnet-4.5", true],
      ["openrouter/auto", false],
    ]);
  });

  it("registers a custom name for an upstream model", async () => {
    const result = await register("oa", { custom: [{ name: "fast", upstream_model: "gpt-test", display_name: "Fast chat" }] });
    expect(result.registered).toEqual([expect.objectContaining({ id: "oa/fast", name: "fast", upstream_model: "gpt-test", display_name: "Fast chat", type: "chat" })]);
    const model = await api<Model>("GET", "/api/models/oa/fast");
    expect(model.body).toMatchObject({ id: "oa/fast", credential: "oa", upstream_model: "gpt-test" });
  });

  it("validates what to register", async () => {
    const nothing = await api<ErrorBody>("POST", "/api/credentials/oa/register", {});
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.message).toMatch(/say what to register/);
    const unknown = await api<ErrorBody>("POST", "/api/credentials/oa/register", { everything: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("unknown field 'everything'");
  });

  it("lists registered models in GET /v1/models with their display names", async () => {
    const list = await client.models.list();
    const byId = new Map(list.data.map((model) => [model.id, model as unknown as Record<string, unknown>]));
    expect(byId.get("oa/fast")).toMatchObject({ display_name: "Fast chat", type: "chat" });
    expect(byId.get("or/anthropic/claude-sonnet-4.5")).toMatchObject({
      display_name: "Anthropic: Claude Sonnet 4.5",
      context_window: 1_000_000,
      pricing: { input_per_million: 3, output_per_million: 15 },
    });
    expect(byId.get("oa/text-embedding-3-small")).toMatchObject({ type: "embedding" });
  });
});

describe("using registered models", () => {
  it("sends a chat to <credential>/<model> with the stored key and the upstream model name", async () => {
    const { result, request } = await onlyRequest(openai, () =>
      client.chat.completions.create({ model: "oa/fast", messages: [{ role: "user", content: "ping through fast" }] }),
    );
    expect(result.choices[0]?.message.content).toBe("ping through fast");
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe(`Bearer ${OA_KEY}`);
    expect((request.json() as { model: string }).model).toBe("gpt-test");
  });

  it("keeps the slash in an OpenRouter model name after the credential prefix", async () => {
    const { request } = await onlyRequest(openrouter, () =>
      client.chat.completions.create({ model: "or/anthropic/claude-sonnet-4.5", messages: [{ role: "user", content: "hello" }] }),
    );
    expect(request.headers.authorization).toBe(`Bearer ${OR_KEY}`);
    expect((request.json() as { model: string }).model).toBe("anthropic/claude-sonnet-4.5");
  });

  it("routes model: \"default\" and a request without a model to the default chat model", async () => {
    const set = await api<Record<string, string>>("PUT", "/api/defaults/chat", { model: "oa/fast" });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ chat: "oa/fast" });
    const { request: viaDefault } = await onlyRequest(openai, () => client.chat.completions.create({ model: "default", messages: [{ role: "user", content: "d" }] }));
    expect((viaDefault.json() as { model: string }).model).toBe("gpt-test");
    expect(viaDefault.headers.authorization).toBe(`Bearer ${OA_KEY}`);
    const { result, request: withoutModel } = await onlyRequest(openai, () =>
      fetch(`${gateway.baseUrl}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ messages: [{ role: "user", content: "none" }] }) }),
    );
    expect(result.status).toBe(200);
    expect((withoutModel.json() as { model: string }).model).toBe("gpt-test");
  });

  it("refuses a default that is not registered or of an unknown type", async () => {
    const unregistered = await api<ErrorBody>("PUT", "/api/defaults/chat", { model: "oa/not-registered" });
    expect(unregistered.status).toBe(404);
    expect(unregistered.body.error.message).toContain("oa/not-registered");
    const badType = await api<ErrorBody>("PUT", "/api/defaults/video", { model: "oa/fast" });
    expect(badType.status).toBe(400);
    expect((await api("GET", "/api/defaults")).body).toEqual({ chat: "oa/fast" });
  });

  it("tests a chat and an embedding model with one tiny real request each", async () => {
    const { result: chatTest, request: chatRequest } = await onlyRequest(openai, () => api<ModelTest>("POST", "/api/models/oa/fast/test"));
    expect(chatTest.status).toBe(200);
    expect(chatTest.body).toMatchObject({ ok: true, status: 200, message: expect.stringMatching(/^The model answered in \d+ ms\.$/) });
    expect(chatTest.body.latency_ms).toEqual(expect.any(Number));
    expect(chatRequest.path).toBe("/v1/chat/completions");
    expect(chatRequest.headers.authorization).toBe(`Bearer ${OA_KEY}`);
    expect(chatRequest.json()).toMatchObject({ model: "gpt-test", max_tokens: 8 });

    const { result: embedTest, request: embedRequest } = await onlyRequest(openai, () => api<ModelTest>("POST", "/api/models/oa/text-embedding-3-small/test"));
    expect(embedTest.body).toMatchObject({ ok: true, status: 200 });
    expect(embedRequest.path).toBe("/v1/embeddings");
  });

  it("reports a failing model test with the upstream's own message or a plain connection error", async () => {
    openai.script("/v1/chat/completions", { type: "json", status: 404, body: { error: { message: "The model `gpt-test` does not exist or you do not have access to it.", type: "invalid_request_error", param: null, code: "model_not_found" } } });
    const failing = await api<ModelTest>("POST", "/api/models/oa/fast/test");
    expect(failing.status).toBe(200);
    expect(failing.body).toMatchObject({ ok: false, status: 404, message: "The model `gpt-test` does not exist or you do not have access to it." });

    await register("down", { custom: [{ name: "ghost" }] });
    const refused = await api<ModelTest>("POST", "/api/models/down/ghost/test");
    expect(refused.body).toMatchObject({ ok: false, status: null, latency_ms: null });
    expect(refused.body.message).toBe(`Cannot reach upstream provider 'down' at 127.0.0.1:${downPort}: connection refused (is the server running?).`);

    const unknown = await api<ErrorBody>("POST", "/api/models/oa/nope/test");
    expect(unknown.status).toBe(404);
  });
});

describe("models CRUD", () => {
  it("creates, updates and deletes a model, and routing follows", async () => {
    const created = await api<Model>("POST", "/api/models", { credential: "oa", name: "writer", upstream_model: "gpt-test", type: "chat", context_window: 8_192 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "oa/writer", upstream_model: "gpt-test", context_window: 8_192 });
    const duplicate = await api<ErrorBody>("POST", "/api/models", { credential: "oa", name: "writer" });
    expect(duplicate.status).toBe(409);

    const updated = await api<Model>("PATCH", "/api/models/oa/writer", { upstream_model: "text-embedding-3-small", display_name: "Writer", input_price_per_million: 0.5, output_price_per_million: 1.5 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ upstream_model: "text-embedding-3-small", display_name: "Writer", input_price_per_million: 0.5, output_price_per_million: 1.5 });
    const { request } = await onlyRequest(openai, () => client.chat.completions.create({ model: "oa/writer", messages: [{ role: "user", content: "x" }] }));
    expect((request.json() as { model: string }).model).toBe("text-embedding-3-small");
    const listed = await client.models.list();
    expect(listed.data.find((model) => model.id === "oa/writer")).toMatchObject({ display_name: "Writer", pricing: { input_per_million: 0.5, output_per_million: 1.5 } });

    const models = await api<{ data: Model[] }>("GET", "/api/models");
    expect(models.body.data.map((model) => model.id)).toContain("oa/writer");

    const deleted = await api("DELETE", "/api/models/oa/writer");
    expect(deleted.status).toBe(204);
    expect((await api("GET", "/api/models/oa/writer")).status).toBe(404);
    expect((await api("DELETE", "/api/models/oa/writer")).status).toBe(404);
  });

  it("clears the default when its model is deleted", async () => {
    expect((await api("DELETE", "/api/models/oa/fast")).status).toBe(204);
    expect((await api("GET", "/api/defaults")).body).toEqual({});
    const reply = await fetch(`${gateway.baseUrl}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "default", messages: [] }) });
    expect(reply.status).toBe(404);
    expect(((await reply.json()) as ErrorBody).error.message).toMatch(/No default chat model is set/);
  });
});
