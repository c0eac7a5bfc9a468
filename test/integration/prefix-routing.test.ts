/**
 * @module test/integration/prefix-routing.test
 * How a model id's prefix picks a provider (SPEC §2): every local kind through its environment
 * variables and defaults, the generic kind's per-service servers, cloud kinds declared in config,
 * the first-`/` split, byte-exact pass-through of the body, and the errors for ids that route nowhere.
 * Every upstream is a scripted server on 127.0.0.1; cloud kinds always get a local `baseUrl`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SwitchyardConfig } from "../../src/config/config-schema.js";
import { createGateway } from "../../src/gateway/create-gateway.js";
import { startGateway } from "../support/start-gateway.js";
import type { TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream } from "../support/scripted-upstream.js";
import type { RecordedRequest, ScriptedUpstream } from "../support/scripted-upstream.js";

/** The OpenAI error body every refusal carries. */
interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** A cloud kind, the variable its key comes from, and whether the config names that variable. */
interface CloudCase {
  readonly kind: string;
  readonly variable: string;
  readonly keyFromConfig: boolean;
}

// xAI is declared without `apiKey`, so its key must come from the kind's own variable.
const CLOUD_CASES: readonly CloudCase[] = [
  { kind: "openai", variable: "OPENAI_API_KEY", keyFromConfig: true },
  { kind: "groq", variable: "GROQ_API_KEY", keyFromConfig: true },
  { kind: "openrouter", variable: "OPENROUTER_API_KEY", keyFromConfig: true },
  { kind: "mistral", variable: "MISTRAL_API_KEY", keyFromConfig: true },
  { kind: "deepseek", variable: "DEEPSEEK_API_KEY", keyFromConfig: true },
  { kind: "together", variable: "TOGETHER_API_KEY", keyFromConfig: true },
  { kind: "xai", variable: "XAI_API_KEY", keyFromConfig: false },
  { kind: "gemini", variable: "GEMINI_API_KEY", keyFromConfig: true },
];

const LLAMA = "meta-llama/Llama-3.1-8B-Instruct";

const upstreams: ScriptedUpstream[] = [];
const gateways: TestGateway[] = [];
let ollamaUpstream: ScriptedUpstream;
let lmStudioUpstream: ScriptedUpstream;
let vllmUpstream: ScriptedUpstream;
let llamacppUpstream: ScriptedUpstream;
let compatUpstream: ScriptedUpstream;
let cloudUpstream: ScriptedUpstream;
let disabledUpstream: ScriptedUpstream;
/** Every local kind on its own upstream, and every cloud kind declared in config. */
let mainGateway: TestGateway;
/** No environment, no config: built-in defaults only. */
let bareGateway: TestGateway;

async function upstream(): Promise<ScriptedUpstream> {
  const started = await startScriptedUpstream();
  upstreams.push(started);
  return started;
}

async function gatewayWith(options: Parameters<typeof startGateway>[0]): Promise<TestGateway> {
  const started = await startGateway(options);
  gateways.push(started);
  return started;
}

function postJson(base: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer client-key-never-forwarded" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function chat(gateway: TestGateway, model: string, path = "/v1/chat/completions"): Promise<Response> {
  return postJson(gateway.url, path, { model, messages: [{ role: "user", content: `hello ${model}` }] });
}

/** Runs `send` and returns the one request it caused at `target` (failing if it caused none or several). */
async function onlyRequest(target: ScriptedUpstream, send: () => Promise<Response>): Promise<{ response: Response; request: RecordedRequest }> {
  const before = target.requests.length;
  const response = await send();
  await response.arrayBuffer();
  const added = target.requests.slice(before);
  expect(added).toHaveLength(1);
  return { response, request: added[0] as RecordedRequest };
}

function receivedModel(request: RecordedRequest): unknown {
  return (request.json() as { model?: unknown } | undefined)?.model;
}

async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  return ((await response.json()) as ErrorBody).error;
}

beforeAll(async () => {
  [ollamaUpstream, lmStudioUpstream, vllmUpstream, llamacppUpstream, compatUpstream, cloudUpstream, disabledUpstream] = await Promise.all([
    upstream(),
    upstream(),
    upstream(),
    upstream(),
    upstream(),
    upstream(),
    upstream(),
  ]);
  const env: Record<string, string> = {
    // Bare origin: the ollama kind must add /v1 itself.
    OLLAMA_BASE_URL: ollamaUpstream.url,
    // Trailing slash: must not produce `/v1//chat/completions`.
    LMSTUDIO_BASE_URL: `${lmStudioUpstream.baseUrl}/`,
    VLLM_BASE_URL: vllmUpstream.baseUrl,
    LLAMACPP_BASE_URL: llamacppUpstream.baseUrl,
    OPENAI_COMPAT_BASE_URL: compatUpstream.baseUrl,
  };
  const providers: NonNullable<SwitchyardConfig["providers"]> = {
    "vllm-retired": { kind: "vllm", baseUrl: disabledUpstream.baseUrl, enabled: false },
  };
  for (const { kind, variable, keyFromConfig } of CLOUD_CASES) {
    env[variable] = `sk-${kind}-provider-key`;
    providers[kind] = { kind, baseUrl: cloudUpstream.baseUrl, ...(keyFromConfig ? { apiKey: `env:${variable}` } : {}) };
  }
  mainGateway = await gatewayWith({ env, config: { providers, models: { "vllm/fast": { upstreamModel: LLAMA } } } });
  bareGateway = await gatewayWith({ env: {} });
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await Promise.all(upstreams.map((started) => started.close()));
});

describe("local kinds configured through their environment variables", () => {
  it("routes ollama/ to OLLAMA_BASE_URL with the default key 'ollama' as a Bearer token", async () => {
    const { response, request } = await onlyRequest(ollamaUpstream, () => chat(mainGateway, "ollama/llama3.1:8b"));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe("Bearer ollama");
    expect(receivedModel(request)).toBe("llama3.1:8b");
  });

  it("appends /v1 to an ollama base URL given without a path", () => {
    const ollama = mainGateway.gateway.providers.find((provider) => provider.name === "ollama");
    expect(ollama?.baseUrl).toBe(`${ollamaUpstream.url}/v1`);
    expect(ollama?.baseUrlSource).toContain("OLLAMA_BASE_URL");
  });

  it("routes lm_studio/ to LMSTUDIO_BASE_URL with the default key 'lm-studio', ignoring a trailing slash", async () => {
    const { response, request } = await onlyRequest(lmStudioUpstream, () => chat(mainGateway, "lm_studio/qwen2.5-7b-instruct"));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe("Bearer lm-studio");
    expect(receivedModel(request)).toBe("qwen2.5-7b-instruct");
  });

  it("routes vllm/ to VLLM_BASE_URL with the default key 'EMPTY'", async () => {
    const { response, request } = await onlyRequest(vllmUpstream, () => chat(mainGateway, `vllm/${LLAMA}`));
    expect(response.status).toBe(200);
    expect(request.headers.authorization).toBe("Bearer EMPTY");
  });

  it("routes llamacpp/ to LLAMACPP_BASE_URL without any Authorization header", async () => {
    const { response, request } = await onlyRequest(llamacppUpstream, () => chat(mainGateway, "llamacpp/qwen2.5-0.5b"));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers).not.toHaveProperty("authorization");
    expect(receivedModel(request)).toBe("qwen2.5-0.5b");
  });

  it("routes openai-compat/ to OPENAI_COMPAT_BASE_URL without a key when none is set", async () => {
    const { response, request } = await onlyRequest(compatUpstream, () => chat(mainGateway, "openai-compat/any-model"));
    expect(response.status).toBe(200);
    expect(request.headers).not.toHaveProperty("authorization");
    expect(receivedModel(request)).toBe("any-model");
  });

  it("never forwards the client's own Authorization header", async () => {
    const { request } = await onlyRequest(compatUpstream, () => chat(mainGateway, "openai-compat/any-model"));
    expect(JSON.stringify(request.headers)).not.toContain("client-key-never-forwarded");
  });

  it("names the serving deployment in x-switchyard-deployment", async () => {
    const { response } = await onlyRequest(vllmUpstream, () => chat(mainGateway, `vllm/${LLAMA}`));
    expect(response.headers.get("x-switchyard-deployment")).toBe(`vllm/${LLAMA}`);
  });
});

describe("zero configuration", () => {
  it("resolves every local kind to its documented default base URL and key without being called", () => {
    const byName = new Map(bareGateway.gateway.providers.map((provider) => [provider.name, provider]));
    expect(byName.get("ollama")).toMatchObject({ baseUrl: "http://localhost:11434/v1", hasApiKey: true });
    expect(byName.get("lm_studio")).toMatchObject({ baseUrl: "http://127.0.0.1:1234/v1", hasApiKey: true });
    expect(byName.get("vllm")).toMatchObject({ baseUrl: "http://127.0.0.1:8000/v1", hasApiKey: true });
    expect(byName.get("llamacpp")).toMatchObject({ baseUrl: "http://127.0.0.1:8080/v1", hasApiKey: false });
    expect(byName.get("openai-compat")).toMatchObject({ baseUrl: "http://127.0.0.1:8000/v1", hasApiKey: false });
    expect(bareGateway.gateway.providers.every((provider) => provider.baseUrlSource.startsWith("default"))).toBe(true);
  });

  it("activates no cloud kind when no key variable is set", () => {
    expect(bareGateway.gateway.providers.map((provider) => provider.name)).toEqual(["ollama", "lm_studio", "vllm", "llamacpp", "openai-compat"]);
  });

  it("answers a cloud prefix without its key variable with 404 model_not_found listing the known prefixes", async () => {
    const response = await chat(bareGateway, "groq/llama-3.3-70b-versatile");
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe("model_not_found");
    expect(error.param).toBe("model");
    expect(error.message).toContain("Known prefixes: ollama/, lm_studio/, vllm/, llamacpp/, openai-compat/");
    expect(error.message).not.toContain("groq/,");
  });
});

describe("the generic openai-compat kind with per-service servers", () => {
  let chatUpstream: ScriptedUpstream;
  let embeddingUpstream: ScriptedUpstream;
  let speechUpstream: ScriptedUpstream;
  let transcriptionUpstream: ScriptedUpstream;
  let llmUpstream: ScriptedUpstream;
  /** OPENAI_COMPATIBLE_BASE_URL for chat, its own server and key for embedding, TTS and STT. */
  let perService: TestGateway;
  /** OPENAI_COMPATIBLE_BASE_URL_LLM for chat; an embedding server given without its own key. */
  let llmOverride: TestGateway;

  beforeAll(async () => {
    [chatUpstream, embeddingUpstream, speechUpstream, transcriptionUpstream, llmUpstream] = await Promise.all([upstream(), upstream(), upstream(), upstream(), upstream()]);
    perService = await gatewayWith({
      env: {
        OPENAI_COMPATIBLE_BASE_URL: chatUpstream.baseUrl,
        OPENAI_COMPATIBLE_API_KEY: "compat-key",
        OPENAI_COMPATIBLE_BASE_URL_EMBEDDING: embeddingUpstream.baseUrl,
        OPENAI_COMPATIBLE_API_KEY_EMBEDDING: "embedding-key",
        OPENAI_COMPATIBLE_BASE_URL_TTS: speechUpstream.baseUrl,
        OPENAI_COMPATIBLE_API_KEY_TTS: "tts-key",
        OPENAI_COMPATIBLE_BASE_URL_STT: transcriptionUpstream.baseUrl,
        OPENAI_COMPATIBLE_API_KEY_STT: "stt-key",
      },
    });
    llmOverride = await gatewayWith({
      env: {
        OPENAI_COMPATIBLE_BASE_URL: chatUpstream.baseUrl,
        OPENAI_COMPATIBLE_API_KEY: "compat-key",
        OPENAI_COMPATIBLE_BASE_URL_LLM: llmUpstream.baseUrl,
        OPENAI_COMPATIBLE_API_KEY_LLM: "llm-key",
        OPENAI_COMPATIBLE_BASE_URL_EMBEDDING: embeddingUpstream.baseUrl,
      },
    });
  });

  it("sends chat to OPENAI_COMPATIBLE_BASE_URL with OPENAI_COMPATIBLE_API_KEY", async () => {
    const { response, request } = await onlyRequest(chatUpstream, () => chat(perService, "openai-compat/chat-model"));
    expect(response.status).toBe(200);
    expect(request.headers.authorization).toBe("Bearer compat-key");
    expect(receivedModel(request)).toBe("chat-model");
  });

  it("sends legacy completions to the chat server", async () => {
    const { response, request } = await onlyRequest(chatUpstream, () => postJson(perService.url, "/v1/completions", { model: "openai-compat/chat-model", prompt: "Once" }));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/v1/completions");
    expect(request.headers.authorization).toBe("Bearer compat-key");
  });

  it("sends embeddings to OPENAI_COMPATIBLE_BASE_URL_EMBEDDING with OPENAI_COMPATIBLE_API_KEY_EMBEDDING", async () => {
    const { response, request } = await onlyRequest(embeddingUpstream, () =>
      postJson(perService.url, "/v1/embeddings", { model: "openai-compat/nomic-embed-text", input: "vector me" }),
    );
    expect(response.status).toBe(200);
    expect(request.path).toBe("/v1/embeddings");
    expect(request.headers.authorization).toBe("Bearer embedding-key");
    expect(receivedModel(request)).toBe("nomic-embed-text");
  });

  it("sends speech to OPENAI_COMPATIBLE_BASE_URL_TTS with OPENAI_COMPATIBLE_API_KEY_TTS", async () => {
    const { response, request } = await onlyRequest(speechUpstream, () =>
      postJson(perService.url, "/v1/audio/speech", { model: "openai-compat/kokoro", voice: "af_sky", input: "Say this" }),
    );
    expect(response.status).toBe(200);
    expect(request.path).toBe("/v1/audio/speech");
    expect(request.headers.authorization).toBe("Bearer tts-key");
    expect(receivedModel(request)).toBe("kokoro");
  });

  it("sends transcriptions to OPENAI_COMPATIBLE_BASE_URL_STT with OPENAI_COMPATIBLE_API_KEY_STT", async () => {
    const form = new FormData();
    form.append("model", "openai-compat/whisper-1");
    form.append("file", new Blob([Buffer.from("RIFF fake wave bytes")], { type: "audio/wav" }), "a.wav");
    const { response, request } = await onlyRequest(transcriptionUpstream, () => fetch(`${perService.url}/v1/audio/transcriptions`, { method: "POST", body: form }));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/v1/audio/transcriptions");
    expect(request.headers.authorization).toBe("Bearer stt-key");
    expect(request.body.toString("latin1")).toMatch(/name="model"\r\n\r\nwhisper-1\r\n/);
  });

  it("sends chat to OPENAI_COMPATIBLE_BASE_URL_LLM with OPENAI_COMPATIBLE_API_KEY_LLM instead of the base URL", async () => {
    const chatBefore = chatUpstream.requests.length;
    const { response, request } = await onlyRequest(llmUpstream, () => chat(llmOverride, "openai-compat/chat-model"));
    expect(response.status).toBe(200);
    expect(request.headers.authorization).toBe("Bearer llm-key");
    expect(chatUpstream.requests.length).toBe(chatBefore);
  });

  it("uses OPENAI_COMPATIBLE_API_KEY for a per-service server that has no key of its own", async () => {
    const { request } = await onlyRequest(embeddingUpstream, () => postJson(llmOverride.url, "/v1/embeddings", { model: "openai-compat/e5", input: "x" }));
    expect(request.headers.authorization).toBe("Bearer compat-key");
  });
});

describe("cloud kinds declared in config", () => {
  it.each(CLOUD_CASES)("routes $kind/ to its configured base URL with the key from $variable as a Bearer token", async ({ kind }) => {
    const { response, request } = await onlyRequest(cloudUpstream, () => chat(mainGateway, `${kind}/cloud-model`));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe(`Bearer sk-${kind}-provider-key`);
    expect(receivedModel(request)).toBe("cloud-model");
  });

  it("refuses to load a config whose env: key reference names an unset variable", async () => {
    await expect(
      createGateway({ env: {}, config: { providers: { openai: { kind: "openai", baseUrl: cloudUpstream.baseUrl, apiKey: "env:OPENAI_API_KEY" } } } }),
    ).rejects.toThrow(/OPENAI_API_KEY is not set/);
  });
});

describe("model ids", () => {
  it("splits only at the first '/', keeping the rest of a vllm model name", async () => {
    const { request } = await onlyRequest(vllmUpstream, () => chat(mainGateway, `vllm/${LLAMA}`));
    expect(receivedModel(request)).toBe(LLAMA);
  });

  it("splits only at the first '/', keeping the rest of an OpenRouter model name", async () => {
    const { response, request } = await onlyRequest(cloudUpstream, () => chat(mainGateway, "openrouter/anthropic/claude-sonnet-4.5"));
    expect(receivedModel(request)).toBe("anthropic/claude-sonnet-4.5");
    expect(request.headers.authorization).toBe("Bearer sk-openrouter-provider-key");
    expect(response.headers.get("x-switchyard-deployment")).toBe("openrouter/anthropic/claude-sonnet-4.5");
  });

  it("changes nothing in the request body but the model value", async () => {
    // Odd spacing, unusual key order, escapes, non-ASCII text, a number written as 0.70 and a
    // nested "model" key: any re-serialisation would change some of these bytes.
    const sent =
      '{ "messages" :[ {"content":"h\\u00e9llo ✓ 😀 \\"quoted\\"","role":"user"} ],\n\t"metadata": {"model": "keep-me"},' +
      `  "model"  :  "vllm/${LLAMA}" ,"temperature":0.70,"x_vendor":{"list":[1, 2 ,3],"empty":{}}}  `;
    const expected = sent.replace(`"vllm/${LLAMA}"`, `"${LLAMA}"`);
    const { response, request } = await onlyRequest(vllmUpstream, () => postJson(mainGateway.url, "/v1/chat/completions", sent));
    expect(response.status).toBe(200);
    expect(request.body.equals(Buffer.from(expected, "utf8"))).toBe(true);
  });

  it("sends the upstreamModel that config declares for a model id", async () => {
    const { response, request } = await onlyRequest(vllmUpstream, () => chat(mainGateway, "vllm/fast"));
    expect(response.status).toBe(200);
    expect(receivedModel(request)).toBe(LLAMA);
    expect(response.headers.get("x-switchyard-deployment")).toBe(`vllm/${LLAMA}`);
  });

  it("answers an unknown prefix with 404 model_not_found naming the known prefixes", async () => {
    const response = await chat(mainGateway, "nope/some-model");
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe("model_not_found");
    expect(error.type).toBe("invalid_request_error");
    expect(error.message).toContain("'nope'");
    for (const prefix of ["ollama/", "lm_studio/", "vllm/", "llamacpp/", "openai-compat/", "openai/", "openrouter/", "gemini/"]) {
      expect(error.message).toContain(prefix);
    }
  });

  it("answers a model id without a prefix with 404 model_not_found", async () => {
    const response = await chat(mainGateway, "gpt-4o");
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("model_not_found");
  });

  it("answers a provider with enabled: false with 404 and sends it nothing", async () => {
    const response = await chat(mainGateway, "vllm-retired/some-model");
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe("model_not_found");
    expect(error.message).toContain("disabled");
    expect(disabledUpstream.requests).toHaveLength(0);
  });

  it("answers an endpoint the kind does not serve with 400 unsupported_endpoint before any upstream call", async () => {
    const before = cloudUpstream.requests.length;
    const response = await postJson(mainGateway.url, "/v1/embeddings", { model: "deepseek/deepseek-chat", input: "x" });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("unsupported_endpoint");
    expect(error.message).toContain("/v1/embeddings");
    expect(cloudUpstream.requests.length).toBe(before);
  });

  it("answers speech to llamacpp with 400 unsupported_endpoint", async () => {
    const response = await postJson(mainGateway.url, "/v1/audio/speech", { model: "llamacpp/tts", voice: "x", input: "y" });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe("unsupported_endpoint");
  });
});

describe("paths and config files", () => {
  it("serves /chat/completions without the /v1 prefix", async () => {
    const { response, request } = await onlyRequest(vllmUpstream, () => chat(mainGateway, `vllm/${LLAMA}`, "/chat/completions"));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/v1/chat/completions");
  });

  describe("a YAML config file given by path", () => {
    let directory: string;
    let fromFile: TestGateway;
    let fileUpstream: ScriptedUpstream;

    beforeAll(async () => {
      fileUpstream = await upstream();
      directory = await mkdtemp(join(tmpdir(), "switchyard-prefix-routing-"));
      const file = join(directory, "switchyard.yaml");
      await writeFile(
        file,
        [
          "# A provider named by the user, with a key read from the environment.",
          "providers:",
          "  homelab:",
          "    kind: openai-compat",
          `    baseUrl: ${fileUpstream.baseUrl}`,
          "    apiKey: env:HOMELAB_KEY",
          "models:",
          "  homelab/chat:",
          "    upstreamModel: served-model-name",
          "",
        ].join("\n"),
      );
      fromFile = await gatewayWith({ env: { HOMELAB_KEY: "yaml-key" }, config: file });
    });

    afterAll(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it("routes the provider it declares, with its key and model renaming", async () => {
      const { response, request } = await onlyRequest(fileUpstream, () => chat(fromFile, "homelab/chat"));
      expect(response.status).toBe(200);
      expect(request.headers.authorization).toBe("Bearer yaml-key");
      expect(receivedModel(request)).toBe("served-model-name");
      expect(response.headers.get("x-switchyard-deployment")).toBe("homelab/served-model-name");
    });
  });
});

describe("the azure kind through its v1 API", () => {
  const AZURE_KEY = "azure-key-0123456789abcdef";
  let endpointUpstream: ScriptedUpstream;
  let baseUrlUpstream: ScriptedUpstream;
  /** Only AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY. */
  let fromEndpoint: TestGateway;
  /** AZURE_OPENAI_BASE_URL and AZURE_OPENAI_ENDPOINT both set, to different servers. */
  let fromBoth: TestGateway;

  /** The scripted upstream only answers `/v1/…` by itself; Azure's paths need a canned answer. */
  function scriptAzureChat(target: ScriptedUpstream, path: string): void {
    target.script(path, { type: "json", body: { id: "chatcmpl-azure", object: "chat.completion", created: 0, model: "deployment", choices: [] } });
  }

  beforeAll(async () => {
    [endpointUpstream, baseUrlUpstream] = await Promise.all([upstream(), upstream()]);
    fromEndpoint = await gatewayWith({ env: { AZURE_OPENAI_ENDPOINT: endpointUpstream.url, AZURE_OPENAI_API_KEY: AZURE_KEY } });
    fromBoth = await gatewayWith({
      env: { AZURE_OPENAI_ENDPOINT: endpointUpstream.url, AZURE_OPENAI_BASE_URL: `${baseUrlUpstream.url}/custom/openai/v1`, AZURE_OPENAI_API_KEY: AZURE_KEY },
    });
  });

  it("activates azure/ once AZURE_OPENAI_API_KEY is set, at AZURE_OPENAI_ENDPOINT + /openai/v1", () => {
    const azure = fromEndpoint.gateway.providers.find((provider) => provider.name === "azure");
    expect(azure).toMatchObject({ baseUrl: `${endpointUpstream.url}/openai/v1`, hasApiKey: true });
    expect(azure?.baseUrlSource).toContain("AZURE_OPENAI_ENDPOINT");
  });

  it("sends chat to /openai/v1/chat/completions with the key in api-key and no Authorization header", async () => {
    scriptAzureChat(endpointUpstream, "/openai/v1/chat/completions");
    const { response, request } = await onlyRequest(endpointUpstream, () => chat(fromEndpoint, "azure/gpt-4o-prod"));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/openai/v1/chat/completions");
    expect(request.url).toBe("/openai/v1/chat/completions");
    expect(request.headers["api-key"]).toBe(AZURE_KEY);
    expect(request.headers).not.toHaveProperty("authorization");
  });

  it("sends the deployment name as the model", async () => {
    scriptAzureChat(endpointUpstream, "/openai/v1/chat/completions");
    const { request } = await onlyRequest(endpointUpstream, () => chat(fromEndpoint, "azure/my-gpt4o-deployment"));
    expect(receivedModel(request)).toBe("my-gpt4o-deployment");
  });

  it("prefers AZURE_OPENAI_BASE_URL over AZURE_OPENAI_ENDPOINT", async () => {
    const azure = fromBoth.gateway.providers.find((provider) => provider.name === "azure");
    expect(azure?.baseUrl).toBe(`${baseUrlUpstream.url}/custom/openai/v1`);
    expect(azure?.baseUrlSource).toContain("AZURE_OPENAI_BASE_URL");
    scriptAzureChat(baseUrlUpstream, "/custom/openai/v1/chat/completions");
    const endpointBefore = endpointUpstream.requests.length;
    const { response, request } = await onlyRequest(baseUrlUpstream, () => chat(fromBoth, "azure/gpt-4o-prod"));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/custom/openai/v1/chat/completions");
    expect(request.headers["api-key"]).toBe(AZURE_KEY);
    expect(endpointUpstream.requests.length).toBe(endpointBefore);
  });

  it("sends embeddings to /openai/v1/embeddings with the api-key header", async () => {
    endpointUpstream.script("/openai/v1/embeddings", { type: "json", body: { object: "list", data: [], model: "embed-deployment" } });
    const { response, request } = await onlyRequest(endpointUpstream, () => postJson(fromEndpoint.url, "/v1/embeddings", { model: "azure/embed-deployment", input: "x" }));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/openai/v1/embeddings");
    expect(request.headers["api-key"]).toBe(AZURE_KEY);
    expect(receivedModel(request)).toBe("embed-deployment");
  });

  it("never forwards the client's own Authorization header to Azure", async () => {
    scriptAzureChat(endpointUpstream, "/openai/v1/chat/completions");
    const { request } = await onlyRequest(endpointUpstream, () => chat(fromEndpoint, "azure/gpt-4o-prod"));
    expect(JSON.stringify(request.headers)).not.toContain("client-key-never-forwarded");
  });
});

describe("the anthropic kind through its OpenAI-compatible endpoint (api: openai-compatible)", () => {
  const ANTHROPIC_KEY = "sk-ant-api03-routing-key-0123";
  let anthropicUpstream: ScriptedUpstream;
  let anthropic: TestGateway;

  beforeAll(async () => {
    anthropicUpstream = await upstream();
    anthropic = await gatewayWith({
      env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY },
      config: { providers: { anthropic: { kind: "anthropic", api: "openai-compatible", baseUrl: anthropicUpstream.baseUrl, apiKey: "env:ANTHROPIC_API_KEY" } } },
    });
  });

  it("sends chat to {baseUrl}/chat/completions with the key as a Bearer token", async () => {
    const { response, request } = await onlyRequest(anthropicUpstream, () => chat(anthropic, "anthropic/claude-sonnet-4-5"));
    expect(response.status).toBe(200);
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe(`Bearer ${ANTHROPIC_KEY}`);
    expect(request.headers).not.toHaveProperty("x-api-key");
    expect(receivedModel(request)).toBe("claude-sonnet-4-5");
  });

  it("answers embeddings with 400 unsupported_endpoint before any upstream call", async () => {
    const before = anthropicUpstream.requests.length;
    const response = await postJson(anthropic.url, "/v1/embeddings", { model: "anthropic/claude-sonnet-4-5", input: "x" });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("unsupported_endpoint");
    expect(error.message).toContain("/v1/embeddings");
    expect(anthropicUpstream.requests.length).toBe(before);
  });

  it("answers legacy completions with 400 unsupported_endpoint", async () => {
    const response = await postJson(anthropic.url, "/v1/completions", { model: "anthropic/claude-sonnet-4-5", prompt: "x" });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe("unsupported_endpoint");
  });
});
