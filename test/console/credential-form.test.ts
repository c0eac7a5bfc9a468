/**
 * @module test/console/credential-form.test
 * The console's Add / Edit credential form as data: what it sends, and the address-change rule it
 * enforces before the admin API would (a stored secret never follows a new URL unless re-entered).
 */
import { describe, expect, it } from "vitest";
import type { Credential } from "../../console/src/api/types.js";
import { createBody, FormProblem, initialFormState, updateBody } from "../../console/src/pages/credential-form.js";

function stored(overrides: Partial<Credential> = {}): Credential {
  return {
    id: "c1",
    name: "gpu-box",
    kind: "vllm",
    base_url: "http://10.0.0.7:8000/v1",
    effective_base_url: "http://10.0.0.7:8000/v1",
    has_api_key: true,
    api_key_mask: "sk-…ABCD",
    service_urls: {},
    service_keys: [],
    header_names: [],
    provider_fields: {},
    enabled: true,
    priority: 0,
    last_test: null,
    secrets_error: null,
    version: 3,
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}

describe("createBody", () => {
  it("sends the kind's default base URL and leaves out empty fields", () => {
    const state = { ...initialFormState("ollama"), name: "laptop" };
    expect(createBody(state)).toEqual({ name: "laptop", kind: "ollama", base_url: "http://localhost:11434/v1", enabled: true, priority: 0 });
  });

  it("requires a key for a cloud kind", () => {
    expect(() => createBody(initialFormState("openai"))).toThrow(FormProblem);
    expect(createBody({ ...initialFormState("openai"), apiKey: " sk-proj-1 " })).toMatchObject({ api_key: "sk-proj-1" });
  });

  it("builds Azure's base URL from the resource endpoint and keeps its fields", () => {
    const state = { ...initialFormState("azure"), apiKey: "k", azureEndpoint: "https://res.openai.azure.com/", azureApiVersion: "2024-10-21", azureDeployments: "gpt-4o, embed" };
    expect(createBody(state)).toMatchObject({
      base_url: "https://res.openai.azure.com/openai/v1",
      provider_fields: { endpoint: "https://res.openai.azure.com", api_version: "2024-10-21", deployments: ["gpt-4o", "embed"] },
    });
  });

  it("sends per-service URLs and keys for the generic kind, and extra headers", () => {
    const base = initialFormState("openai-compat");
    const state = { ...base, serviceUrls: { ...base.serviceUrls, tts: "http://127.0.0.1:8880/v1" }, serviceKeys: { ...base.serviceKeys, tts: "kokoro" }, headers: [{ name: "X-Org", value: "me" }] };
    expect(createBody(state)).toMatchObject({ service_urls: { tts: "http://127.0.0.1:8880/v1" }, service_keys: { tts: "kokoro" }, headers: { "X-Org": "me" } });
  });
});

describe("updateBody", () => {
  it("sends only what changed, with the version read", () => {
    const credential = stored();
    expect(updateBody({ ...initialFormState("vllm", credential), name: "gpu" }, credential)).toEqual({ version: 3, name: "gpu" });
  });

  it("refuses a new base URL without the key again, and accepts it with the key or its removal", () => {
    const credential = stored();
    const moved = { ...initialFormState("vllm", credential), baseUrl: "http://10.0.0.8:8000/v1" };
    expect(() => updateBody(moved, credential)).toThrow(/enter the API key again/);
    expect(updateBody({ ...moved, apiKey: "sk-new" }, credential)).toEqual({ version: 3, base_url: "http://10.0.0.8:8000/v1", api_key: "sk-new" });
    expect(updateBody({ ...moved, removeKey: true }, credential)).toEqual({ version: 3, base_url: "http://10.0.0.8:8000/v1", api_key: null });
  });

  it("refuses a new base URL while header values are stored, until they are entered again", () => {
    const credential = stored({ has_api_key: false, header_names: ["X-Org"] });
    const moved = { ...initialFormState("vllm", credential), baseUrl: "" };
    expect(() => updateBody(moved, credential)).toThrow(/extra headers again/);
    expect(updateBody({ ...moved, replaceHeaders: true, headers: [{ name: "X-Org", value: "again" }] }, credential)).toEqual({ version: 3, base_url: null, headers: { "X-Org": "again" } });
  });

  it("refuses a moved service URL while a key would follow it", () => {
    const credential = stored({ kind: "openai-compat", service_urls: { tts: "http://127.0.0.1:8880/v1" } });
    const state = initialFormState("openai-compat", credential);
    const moved = { ...state, serviceUrls: { ...state.serviceUrls, tts: "http://127.0.0.1:8881/v1" } };
    expect(() => updateBody(moved, credential)).toThrow(/text-to-speech URL/);
    expect(updateBody({ ...moved, removeServiceKeys: { ...moved.removeServiceKeys, tts: true } }, credential)).toEqual({
      version: 3,
      service_urls: { tts: "http://127.0.0.1:8881/v1" },
      service_keys: { tts: null },
    });
  });
});
