/**
 * @module test/integration/model-list.test
 * `GET /v1/models` and `GET /v1/models/{id}` over real sockets: the union of every provider's own
 * list under its prefix, the shapes real servers send (Ollama's `data: null`, LM Studio without
 * `created`, OpenRouter without `object`/`owned_by`), a provider that is down or slow skipped within
 * the deadline, and config metadata merged in. Every local kind is declared explicitly so no
 * default port on this machine is asked for its models.
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "../support/start-gateway.js";
import type { TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream } from "../support/scripted-upstream.js";
import type { CannedResponse, ScriptedUpstream } from "../support/scripted-upstream.js";

interface ModelEntry {
  id: string;
  object?: string;
  created?: unknown;
  owned_by?: string;
  display_name?: string;
  type?: string;
  context_window?: number;
  pricing?: { input_per_million: number; output_per_million: number };
}

interface ModelList {
  object: string;
  data: ModelEntry[];
}

interface ErrorBody {
  error: { message: string; code: string | null };
}

/** Deadline per provider; the slow provider takes far longer than this. */
const MODEL_LIST_TIMEOUT_MS = 300;
const SLOW_PROVIDER_DELAY_MS = 5_000;
const LLAMA = "meta-llama/Llama-3.1-8B-Instruct";

let ollamaUpstream: ScriptedUpstream;
let lmStudioUpstream: ScriptedUpstream;
let vllmUpstream: ScriptedUpstream;
let slowUpstream: ScriptedUpstream;
let openrouterUpstream: ScriptedUpstream;
let disabledUpstream: ScriptedUpstream;
let gateway: TestGateway;

/** The first listing, taken once; the tests below read it. */
let listing: { status: number; skippedHeader: string | null; elapsedMs: number; body: ModelList };

/** A port on 127.0.0.1 where nothing listens: bind to 0, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The same canned answer several times, so a refetch never falls through to the default list. */
function repeated(times: number, response: CannedResponse): CannedResponse[] {
  return Array.from({ length: times }, () => response);
}

function entry(id: string): ModelEntry | undefined {
  return listing.body.data.find((model) => model.id === id);
}

async function getModel(id: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${gateway.url}/v1/models/${id}`);
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  [ollamaUpstream, lmStudioUpstream, slowUpstream, openrouterUpstream, disabledUpstream] = await Promise.all([
    startScriptedUpstream(),
    startScriptedUpstream(),
    startScriptedUpstream(),
    startScriptedUpstream(),
    startScriptedUpstream(),
  ]);
  vllmUpstream = await startScriptedUpstream({ models: [LLAMA, "BAAI/bge-m3"] });
  // Ollama answers `data: null` when no model is pulled.
  ollamaUpstream.script("/v1/models", ...repeated(3, { type: "json", body: { object: "list", data: null } }));
  // LM Studio leaves out `created`.
  lmStudioUpstream.script(
    "/v1/models",
    ...repeated(3, { type: "json", body: { object: "list", data: [{ id: "qwen2.5-7b-instruct", object: "model", owned_by: "organization_owner" }] } }),
  );
  // OpenRouter leaves out `object` and `owned_by`, and names the context window `context_length`.
  openrouterUpstream.script(
    "/v1/models",
    ...repeated(3, { type: "json", body: { data: [{ id: "anthropic/claude-sonnet-4.5", name: "Claude Sonnet 4.5", created: 1_758_000_000, context_length: 1_000_000 }] } }),
  );
  slowUpstream.script(
    "/v1/models",
    ...repeated(3, { type: "slow-first-byte", delayMs: SLOW_PROVIDER_DELAY_MS, then: { type: "json", body: { object: "list", data: [{ id: "too-late" }] } } }),
  );
  const downPort = await closedPort();

  gateway = await startGateway({
    env: { OPENROUTER_API_KEY: "sk-openrouter-test" },
    modelListTimeoutMs: MODEL_LIST_TIMEOUT_MS,
    config: {
      providers: {
        ollama: { kind: "ollama", baseUrl: ollamaUpstream.baseUrl },
        lm_studio: { kind: "lm_studio", baseUrl: lmStudioUpstream.baseUrl },
        vllm: { kind: "vllm", baseUrl: vllmUpstream.baseUrl },
        llamacpp: { kind: "llamacpp", baseUrl: `http://127.0.0.1:${downPort}/v1` },
        "openai-compat": { kind: "openai-compat", baseUrl: slowUpstream.baseUrl },
        openrouter: { kind: "openrouter", baseUrl: openrouterUpstream.baseUrl, apiKey: "env:OPENROUTER_API_KEY" },
        retired: { kind: "vllm", baseUrl: disabledUpstream.baseUrl, enabled: false },
      },
      models: {
        [`vllm/${LLAMA}`]: {
          displayName: "Llama 3.1 8B Instruct",
          type: "chat",
          contextWindow: 131_072,
          pricing: { inputPerMillion: 0, outputPerMillion: 0 },
        },
        "vllm/private-finetune": {
          displayName: "Private fine-tune",
          contextWindow: 8_192,
          pricing: { inputPerMillion: 0.5, outputPerMillion: 1.5 },
        },
        // Metadata for models that no active provider can serve.
        "retired/legacy-model": { displayName: "Legacy model" },
        "gone/old-model": { displayName: "Model of a provider removed from the config" },
      },
    },
  });

  const started = performance.now();
  const response = await fetch(`${gateway.baseUrl}/models`);
  const body = (await response.json()) as ModelList;
  listing = { status: response.status, skippedHeader: response.headers.get("x-switchyard-skipped-providers"), elapsedMs: performance.now() - started, body };
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([ollamaUpstream, lmStudioUpstream, vllmUpstream, slowUpstream, openrouterUpstream, disabledUpstream].map((upstream) => upstream.close()));
});

describe("GET /v1/models", () => {
  it("answers 200 with an OpenAI list whose entries all carry id, object, created and owned_by", () => {
    expect(listing.status).toBe(200);
    expect(listing.body.object).toBe("list");
    for (const model of listing.body.data) {
      expect(model).toMatchObject({ object: "model", created: expect.any(Number), owned_by: expect.any(String) });
    }
  });

  it("lists the union of every reachable provider's models, each under its prefix", () => {
    const ids = listing.body.data.map((model) => model.id);
    expect(ids).toEqual(
      expect.arrayContaining([`vllm/${LLAMA}`, "vllm/BAAI/bge-m3", "lm_studio/qwen2.5-7b-instruct", "openrouter/anthropic/claude-sonnet-4.5"]),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("accepts Ollama's data: null as an empty list without skipping the provider", () => {
    expect(ollamaUpstream.requests.some((request) => request.path === "/v1/models")).toBe(true);
    expect(listing.body.data.some((model) => model.id.startsWith("ollama/"))).toBe(false);
    expect(listing.skippedHeader ?? "").not.toContain("ollama");
  });

  it("accepts LM Studio entries without created", () => {
    expect(entry("lm_studio/qwen2.5-7b-instruct")).toMatchObject({ object: "model", created: expect.any(Number), owned_by: "organization_owner" });
  });

  it("accepts OpenRouter entries without object and owned_by, keeping their context length", () => {
    expect(entry("openrouter/anthropic/claude-sonnet-4.5")).toMatchObject({
      object: "model",
      created: 1_758_000_000,
      owned_by: "openrouter",
      context_window: 1_000_000,
    });
  });

  it("sends each provider its own key when asking for its list", () => {
    const request = openrouterUpstream.requests.find((candidate) => candidate.path === "/v1/models");
    expect(request?.headers.authorization).toBe("Bearer sk-openrouter-test");
  });

  it("skips a provider whose port is closed and names it in x-switchyard-skipped-providers", () => {
    expect(listing.skippedHeader?.split(", ")).toContain("llamacpp");
    expect(listing.body.data.some((model) => model.id.startsWith("llamacpp/"))).toBe(false);
  });

  it("skips a provider slower than modelListTimeoutMs and names it in x-switchyard-skipped-providers", () => {
    expect(listing.skippedHeader?.split(", ")).toContain("openai-compat");
    expect(listing.body.data.some((model) => model.id.startsWith("openai-compat/"))).toBe(false);
  });

  it("returns the whole list within about a second although one provider is slow and one is down", () => {
    expect(listing.elapsedMs).toBeLessThan(1_000);
  });

  it("never asks a provider with enabled: false for its models", () => {
    expect(disabledUpstream.requests).toHaveLength(0);
    expect(listing.skippedHeader ?? "").not.toContain("retired");
  });

  it("does not list a config-declared model whose provider is disabled", () => {
    // GET /v1/models/retired/legacy-model and chat with it both answer 404, so listing it misleads clients.
    expect(entry("retired/legacy-model")).toBeUndefined();
  });

  it("does not list a config-declared model whose prefix names no provider", () => {
    expect(entry("gone/old-model")).toBeUndefined();
  });

  it("adds display name, type, context window and pricing from config to a listed model", () => {
    expect(entry(`vllm/${LLAMA}`)).toMatchObject({
      owned_by: "scripted",
      display_name: "Llama 3.1 8B Instruct",
      type: "chat",
      context_window: 131_072,
      pricing: { input_per_million: 0, output_per_million: 0 },
    });
  });

  it("lists a model that config declares even when its provider does not report it", () => {
    expect(entry("vllm/private-finetune")).toMatchObject({
      object: "model",
      owned_by: "vllm",
      display_name: "Private fine-tune",
      context_window: 8_192,
      pricing: { input_per_million: 0.5, output_per_million: 1.5 },
    });
  });

  it("names only the skipped providers in the header, in configuration order", () => {
    expect(listing.skippedHeader).toBe("llamacpp, openai-compat");
  });
});

describe("GET /v1/models/{id}", () => {
  it("returns a model whose id contains '/' when the path carries the slashes as they are", async () => {
    const { status, body } = await getModel(`vllm/${LLAMA}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: `vllm/${LLAMA}`, object: "model", display_name: "Llama 3.1 8B Instruct", context_window: 131_072 });
  });

  it("returns a model whose id contains '/' when the slashes are percent-encoded", async () => {
    const { status, body } = await getModel(encodeURIComponent("openrouter/anthropic/claude-sonnet-4.5"));
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: "openrouter/anthropic/claude-sonnet-4.5", owned_by: "openrouter", context_window: 1_000_000 });
  });

  it("returns a config-declared model that its provider does not list", async () => {
    const { status, body } = await getModel("vllm/private-finetune");
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: "vllm/private-finetune", display_name: "Private fine-tune" });
  });

  it("answers 404 model_not_found for a model its provider does not list", async () => {
    const { status, body } = await getModel("vllm/does-not-exist");
    expect(status).toBe(404);
    expect((body as ErrorBody).error.code).toBe("model_not_found");
  });

  it("answers 404 model_not_found for an unknown prefix", async () => {
    const { status, body } = await getModel("nope/some-model");
    expect(status).toBe(404);
    expect((body as ErrorBody).error).toMatchObject({ code: "model_not_found", message: expect.stringContaining("Known prefixes") });
  });

  it("answers 404 model_not_found for a model of a disabled provider, even one config declares", async () => {
    const { status, body } = await getModel("retired/legacy-model");
    expect(status).toBe(404);
    expect((body as ErrorBody).error.code).toBe("model_not_found");
    expect(disabledUpstream.requests).toHaveLength(0);
  });
});
