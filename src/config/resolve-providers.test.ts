/**
 * @module config/resolve-providers.test
 * Effective provider settings: config file over environment over built-in defaults, each value
 * remembering where it came from; per-service variables; `/v1` supplied where a kind always uses it.
 */
import { describe, expect, it } from "vitest";
import { getProviderKind } from "../providers/registry.js";
import type { SwitchyardConfig } from "./config-schema.js";
import { ConfigError } from "./load-config-file.js";
import { normalizeBaseUrl, resolveProviders, type Environment, type ProviderSettings, type StoredProvider } from "./resolve-providers.js";

function provider(name: string, config: SwitchyardConfig = {}, env: Environment = {}): ProviderSettings {
  const found = resolveProviders(config, env).find((settings) => settings.name === name);
  if (found === undefined) throw new Error(`provider '${name}' was not resolved`);
  return found;
}

function names(config: SwitchyardConfig = {}, env: Environment = {}): string[] {
  return resolveProviders(config, env).map((settings) => settings.name);
}

describe("resolveProviders: which providers exist", () => {
  it("always includes the local kinds, with no config and no environment", () => {
    expect(names()).toEqual(["ollama", "lm_studio", "vllm", "llamacpp", "openai-compat"]);
  });

  it("adds a cloud kind only once its key variable is set", () => {
    expect(names()).not.toContain("openai");
    expect(names({}, { OPENAI_API_KEY: "sk-test" })).toContain("openai");
    expect(names({}, { GROQ_API_KEY: "   " })).not.toContain("groq");
  });

  it("lets a config entry replace the built-in provider of the same name", () => {
    const resolved = resolveProviders({ providers: { vllm: { kind: "vllm", baseUrl: "http://127.0.0.1:9100/v1" } } }, {});
    expect(resolved.filter((settings) => settings.name === "vllm")).toHaveLength(1);
    expect(resolved.find((settings) => settings.name === "vllm")?.services.chat.baseUrl.value).toBe("http://127.0.0.1:9100/v1");
  });

  it("adds config providers under their own names after the built-ins", () => {
    expect(names({ providers: { "gpu-box": { kind: "vllm" } } }).at(-1)).toBe("gpu-box");
  });

  it("keeps a provider the config disables, marked disabled", () => {
    expect(provider("vllm", { providers: { vllm: { kind: "vllm", enabled: false } } }).enabled).toBe(false);
  });
});

describe("resolveProviders: precedence config > env > default, with origin", () => {
  const env: Environment = { VLLM_BASE_URL: "http://127.0.0.1:9200/v1", VLLM_API_KEY: "env-key-1234", CONFIG_KEY: "config-key-5678" };

  it("uses the kind's default base URL and key when nothing else is set", () => {
    const chat = provider("vllm").services.chat;
    expect(chat.baseUrl).toEqual({ value: "http://127.0.0.1:8000/v1", source: "default", origin: "vllm default" });
    expect(chat.apiKey).toEqual({ value: "EMPTY", source: "default", origin: "vllm default" });
  });

  it("records no key at all for a kind without a default key", () => {
    expect(provider("llamacpp").services.chat.apiKey).toEqual({ value: undefined, source: "default", origin: "none" });
  });

  it("prefers the environment over the default, naming the variable", () => {
    const chat = provider("vllm", {}, env).services.chat;
    expect(chat.baseUrl).toEqual({ value: "http://127.0.0.1:9200/v1", source: "env", origin: "VLLM_BASE_URL" });
    expect(chat.apiKey).toEqual({ value: "env-key-1234", source: "env", origin: "VLLM_API_KEY" });
  });

  it("prefers the config file over the environment, naming the config path", () => {
    const config: SwitchyardConfig = { providers: { vllm: { kind: "vllm", baseUrl: "http://127.0.0.1:9300/v1", apiKey: "literal-key-9999" } } };
    const chat = provider("vllm", config, env).services.chat;
    expect(chat.baseUrl).toEqual({ value: "http://127.0.0.1:9300/v1", source: "config", origin: "providers.vllm.baseUrl" });
    expect(chat.apiKey).toEqual({ value: "literal-key-9999", source: "config", origin: "providers.vllm.apiKey" });
  });

  it("records an env: key reference as coming from the config, with the variable it read", () => {
    const config: SwitchyardConfig = { providers: { vllm: { kind: "vllm", apiKey: "env:CONFIG_KEY" } } };
    expect(provider("vllm", config, env).services.chat.apiKey).toEqual({ value: "config-key-5678", source: "config", origin: "providers.vllm.apiKey (env:CONFIG_KEY)" });
  });

  it("falls back to the environment for values a config entry leaves out", () => {
    const chat = provider("vllm", { providers: { vllm: { kind: "vllm" } } }, env).services.chat;
    expect(chat.baseUrl.source).toBe("env");
    expect(chat.apiKey.source).toBe("env");
  });

  it("ignores empty or blank environment variables", () => {
    expect(provider("vllm", {}, { VLLM_BASE_URL: "  ", VLLM_API_KEY: "" }).services.chat.baseUrl.source).toBe("default");
  });

  it("honours both spellings of the generic kind's base URL variable, the first winning", () => {
    expect(provider("openai-compat", {}, { OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:7001/v1" }).services.chat.baseUrl.origin).toBe("OPENAI_COMPATIBLE_BASE_URL");
    const both = provider("openai-compat", {}, { OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:7001/v1", OPENAI_COMPAT_BASE_URL: "http://127.0.0.1:7002/v1" });
    expect(both.services.chat.baseUrl).toMatchObject({ value: "http://127.0.0.1:7002/v1", origin: "OPENAI_COMPAT_BASE_URL" });
  });

  it("does not read OPENAI_BASE_URL, which apps point at the gateway itself", () => {
    expect(provider("openai", {}, { OPENAI_API_KEY: "sk-x", OPENAI_BASE_URL: "http://127.0.0.1:4000/v1" }).services.chat.baseUrl.value).toBe("https://api.openai.com/v1");
  });

  it("reports a malformed URL from the environment naming the variable", () => {
    let caught: unknown;
    try {
      resolveProviders({}, { VLLM_BASE_URL: "not a url" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).file).toBe("environment");
    expect((caught as ConfigError).problems[0]).toContain("VLLM_BASE_URL");
  });
});

describe("resolveProviders: per-service settings", () => {
  const env: Environment = {
    OPENAI_COMPAT_BASE_URL: "http://127.0.0.1:7000/v1",
    OPENAI_COMPATIBLE_API_KEY: "main-key-0000",
    OPENAI_COMPATIBLE_BASE_URL_EMBEDDING: "http://127.0.0.1:7100/v1",
    OPENAI_COMPATIBLE_API_KEY_EMBEDDING: "embed-key-1111",
    OPENAI_COMPATIBLE_BASE_URL_TTS: "http://127.0.0.1:7200",
    OPENAI_COMPATIBLE_BASE_URL_STT: "http://127.0.0.1:7300/v1",
    OPENAI_COMPATIBLE_API_KEY_STT: "stt-key-3333",
  };

  it("sends each service to its own server and key from the per-service variables", () => {
    const services = provider("openai-compat", {}, env).services;
    expect(services.chat.baseUrl).toMatchObject({ value: "http://127.0.0.1:7000/v1", origin: "OPENAI_COMPAT_BASE_URL" });
    expect(services.chat.apiKey).toMatchObject({ value: "main-key-0000", origin: "OPENAI_COMPATIBLE_API_KEY" });
    expect(services.embedding.baseUrl).toMatchObject({ value: "http://127.0.0.1:7100/v1", source: "env", origin: "OPENAI_COMPATIBLE_BASE_URL_EMBEDDING" });
    expect(services.embedding.apiKey).toMatchObject({ value: "embed-key-1111", origin: "OPENAI_COMPATIBLE_API_KEY_EMBEDDING" });
    expect(services.stt.baseUrl.value).toBe("http://127.0.0.1:7300/v1");
    expect(services.stt.apiKey.value).toBe("stt-key-3333");
  });

  it("uses the main key for a service that has its own URL but no own key", () => {
    expect(provider("openai-compat", {}, env).services.tts.apiKey).toMatchObject({ value: "main-key-0000", origin: "OPENAI_COMPATIBLE_API_KEY" });
  });

  it("shares the main server with services that have no variable of their own", () => {
    const services = provider("openai-compat", {}, { OPENAI_COMPAT_BASE_URL: "http://127.0.0.1:7000/v1" }).services;
    expect(services.embedding).toEqual(services.chat);
    expect(services.tts).toEqual(services.chat);
  });

  it("prefers a config service entry over the per-service variable", () => {
    const config: SwitchyardConfig = { providers: { "openai-compat": { kind: "openai-compat", services: { embedding: { baseUrl: "http://127.0.0.1:7400/v1" } } } } };
    expect(provider("openai-compat", config, env).services.embedding.baseUrl).toMatchObject({
      value: "http://127.0.0.1:7400/v1",
      source: "config",
      origin: "providers.openai-compat.services.embedding.baseUrl",
    });
  });
});

describe("base URL normalisation", () => {
  it("supplies /v1 for a bare URL of the kinds that always serve under /v1", () => {
    const env: Environment = {
      OLLAMA_BASE_URL: "http://127.0.0.1:11434",
      LMSTUDIO_BASE_URL: "http://127.0.0.1:1234/",
      VLLM_BASE_URL: "http://127.0.0.1:8000",
      LLAMACPP_BASE_URL: "http://127.0.0.1:8080",
    };
    for (const name of ["ollama", "lm_studio", "vllm", "llamacpp"]) {
      expect(new URL(provider(name, {}, env).services.chat.baseUrl.value).pathname).toBe("/v1");
    }
  });

  it("leaves a bare URL of the generic kind alone (its servers use any path)", () => {
    expect(provider("openai-compat", {}, { OPENAI_COMPAT_BASE_URL: "http://127.0.0.1:5000" }).services.chat.baseUrl.value).toBe("http://127.0.0.1:5000");
  });

  it("also supplies /v1 for a bare per-service URL of such a kind, and not for the generic kind's", () => {
    const generic = provider("openai-compat", {}, { OPENAI_COMPATIBLE_BASE_URL_TTS: "http://127.0.0.1:8880" });
    expect(generic.services.tts.baseUrl.value).toBe("http://127.0.0.1:8880");
  });

  it("keeps an explicit path and drops trailing slashes and fragments", () => {
    const vllm = getProviderKind("vllm");
    if (vllm === undefined) throw new Error("vllm kind missing");
    expect(normalizeBaseUrl("http://127.0.0.1:8000/custom/api/", vllm)).toBe("http://127.0.0.1:8000/custom/api");
    expect(normalizeBaseUrl("http://127.0.0.1:8000/v1///#frag", vllm)).toBe("http://127.0.0.1:8000/v1");
  });

  it("applies the same rule to config base URLs", () => {
    expect(provider("box", { providers: { box: { kind: "ollama", baseUrl: "http://127.0.0.1:11500" } } }).services.chat.baseUrl.value).toBe("http://127.0.0.1:11500/v1");
  });
});

describe("resolveProviders: timeouts and headers", () => {
  it("layers defaults, global config timeouts and provider timeouts", () => {
    const config: SwitchyardConfig = {
      timeouts: { connectMs: 100, firstByteMs: 200 },
      providers: { box: { kind: "vllm", timeouts: { firstByteMs: 300 } } },
    };
    expect(provider("box", config).timeouts).toEqual({ connectMs: 100, firstByteMs: 300, idleMs: 120_000, totalMs: 600_000 });
    expect(provider("vllm", config).timeouts).toMatchObject({ connectMs: 100, firstByteMs: 200 });
  });

  it("adds configured headers to the kind's own", () => {
    expect(provider("box", { providers: { box: { kind: "vllm", headers: { "X-Title": "Switchyard" } } } }).headers).toEqual({ "X-Title": "Switchyard" });
  });
});

describe("resolveProviders: stored credentials and the detached rule", () => {
  const STORED_KEY = "sk-stored-key-AAAA";
  const ENV_KEY = "sk-env-key-BBBB";
  const CONFIG_KEY = "sk-config-key-CCCC";
  const CONFIG_EMBED_KEY = "sk-config-embed-DDDD";
  const ENV_EMBED_KEY = "sk-env-embed-EEEE";
  const CONFIG_URL = "http://127.0.0.1:9301/v1";
  const STORED_URL = "http://127.0.0.1:9302/v1";

  function stored(overrides: Partial<StoredProvider> = {}): StoredProvider {
    return { id: "cred-1", name: "openai", kind: "openai", enabled: true, serviceUrls: {}, serviceKeys: {}, headers: {}, ...overrides };
  }

  function withStored(config: SwitchyardConfig, env: Environment, credential: StoredProvider): ProviderSettings {
    const found = resolveProviders(config, env, "config", [credential]).find((settings) => settings.name === credential.name);
    if (found === undefined) throw new Error(`provider '${credential.name}' was not resolved`);
    return found;
  }

  /** Every key a provider would send, over all its services. */
  function keysSent(settings: ProviderSettings): (string | undefined)[] {
    return Object.values(settings.services).map((service) => service.apiKey.value);
  }

  const config: SwitchyardConfig = {
    providers: {
      openai: {
        kind: "openai",
        baseUrl: CONFIG_URL,
        apiKey: CONFIG_KEY,
        headers: { "X-Config-Token": "config-header-secret" },
        services: { embedding: { apiKey: CONFIG_EMBED_KEY } },
      },
    },
  };

  it("does not give a stored credential with its own, different base URL the environment's key", () => {
    const settings = withStored({}, { OPENAI_API_KEY: ENV_KEY }, stored({ baseUrl: STORED_URL }));
    expect(settings.services.chat.baseUrl).toEqual({ value: STORED_URL, source: "store", origin: "stored credential 'openai'" });
    expect(settings.services.chat.apiKey).toEqual({ value: undefined, source: "default", origin: "none" });
    expect(keysSent(settings)).not.toContain(ENV_KEY);
  });

  it("does not give a stored credential with a different base URL the config file's key, service keys or headers", () => {
    const settings = withStored(config, { OPENAI_API_KEY: ENV_KEY }, stored({ baseUrl: STORED_URL }));
    expect(settings.services.chat.baseUrl.value).toBe(STORED_URL);
    for (const key of [CONFIG_KEY, CONFIG_EMBED_KEY, ENV_KEY]) expect(keysSent(settings)).not.toContain(key);
    expect(settings.headers).toEqual({});
  });

  it("does not give a stored generic credential with a different base URL the per-service key variables", () => {
    const env: Environment = { OPENAI_COMPATIBLE_API_KEY: ENV_KEY, OPENAI_COMPATIBLE_API_KEY_EMBEDDING: ENV_EMBED_KEY };
    const settings = withStored({}, env, stored({ name: "openai-compat", kind: "openai-compat", baseUrl: STORED_URL }));
    expect(settings.services.embedding.baseUrl.value).toBe(STORED_URL);
    expect(keysSent(settings)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("still gives a detached local credential its kind's built-in default key, which is not a secret", () => {
    const settings = withStored({}, { VLLM_API_KEY: ENV_KEY }, stored({ name: "vllm", kind: "vllm", baseUrl: STORED_URL }));
    expect(settings.services.chat.apiKey).toEqual({ value: "EMPTY", source: "default", origin: "vllm default" });
  });

  it("keeps the kind's own headers on a detached credential", () => {
    const settings = withStored({}, {}, stored({ name: "openrouter", kind: "openrouter", baseUrl: STORED_URL }));
    expect(settings.headers).toEqual(getProviderKind("openrouter")?.headers ?? {});
  });

  it("lets a stored credential without a base URL inherit the config file's URL, key, service keys and headers", () => {
    const settings = withStored(config, { OPENAI_API_KEY: ENV_KEY }, stored());
    expect(settings.services.chat.baseUrl).toMatchObject({ value: CONFIG_URL, source: "config" });
    expect(settings.services.chat.apiKey).toEqual({ value: CONFIG_KEY, source: "config", origin: "providers.openai.apiKey" });
    expect(settings.services.embedding.apiKey).toMatchObject({ value: CONFIG_EMBED_KEY, source: "config" });
    expect(settings.headers).toEqual({ "X-Config-Token": "config-header-secret" });
  });

  it("lets a stored credential without a base URL inherit the environment's key", () => {
    const settings = withStored({}, { OPENAI_API_KEY: ENV_KEY }, stored());
    expect(settings.services.chat.apiKey).toEqual({ value: ENV_KEY, source: "env", origin: "OPENAI_API_KEY" });
  });

  it("lets a stored credential whose base URL equals the inherited one inherit the config file's key, service keys and headers", () => {
    const settings = withStored(config, {}, stored({ baseUrl: CONFIG_URL }));
    expect(settings.services.chat.baseUrl.source).toBe("store");
    expect(settings.services.chat.apiKey.value).toBe(CONFIG_KEY);
    expect(settings.services.embedding.apiKey.value).toBe(CONFIG_EMBED_KEY);
    expect(settings.headers).toEqual({ "X-Config-Token": "config-header-secret" });
  });

  it("compares base URLs after normalisation, so a trailing slash does not detach a credential", () => {
    const settings = withStored(config, {}, stored({ baseUrl: `${CONFIG_URL}/` }));
    expect(settings.services.chat.apiKey.value).toBe(CONFIG_KEY);
  });

  it("lets a stored credential whose base URL equals the kind default inherit the environment's key", () => {
    const settings = withStored({}, { OPENAI_API_KEY: ENV_KEY }, stored({ baseUrl: "https://api.openai.com/v1" }));
    expect(settings.services.chat.apiKey.value).toBe(ENV_KEY);
  });

  it("always prefers the stored key, detached or not, over the config file and the environment", () => {
    for (const baseUrl of [undefined, CONFIG_URL, STORED_URL]) {
      const settings = withStored(config, { OPENAI_API_KEY: ENV_KEY }, stored({ apiKey: STORED_KEY, ...(baseUrl === undefined ? {} : { baseUrl }) }));
      expect(settings.services.chat.apiKey, String(baseUrl)).toEqual({ value: STORED_KEY, source: "store", origin: "stored credential 'openai'" });
    }
  });

  it("prefers stored service keys and headers over the config file's, header by header", () => {
    const settings = withStored(config, {}, stored({ serviceKeys: { embedding: "sk-stored-embed-FFFF" }, headers: { "X-Config-Token": "stored-header", "X-Extra": "x" } }));
    expect(settings.services.embedding.apiKey).toMatchObject({ value: "sk-stored-embed-FFFF", source: "store", origin: "stored credential 'openai' (embedding)" });
    expect(settings.headers).toEqual({ "X-Config-Token": "stored-header", "X-Extra": "x" });
  });

  it("keeps a detached credential's own stored headers", () => {
    const settings = withStored(config, {}, stored({ baseUrl: STORED_URL, headers: { "X-Stored": "s" } }));
    expect(settings.headers).toEqual({ "X-Stored": "s" });
  });

  it("ignores the config entry of the same name when its kind differs", () => {
    const settings = withStored(config, {}, stored({ kind: "groq" }));
    expect(settings.kind.id).toBe("groq");
    expect(settings.services.chat.baseUrl).toMatchObject({ value: "https://api.groq.com/openai/v1", source: "default" });
    expect(keysSent(settings)).not.toContain(CONFIG_KEY);
  });

  it("does not send the environment's key to a stored service URL that points somewhere else", () => {
    // Keys never follow a stored credential to another address: a stored per-service URL is one.
    const env: Environment = { OPENAI_COMPATIBLE_API_KEY: ENV_KEY, OPENAI_COMPATIBLE_API_KEY_EMBEDDING: ENV_EMBED_KEY };
    const settings = withStored({}, env, stored({ name: "openai-compat", kind: "openai-compat", serviceUrls: { embedding: STORED_URL } }));
    expect(settings.services.embedding.baseUrl).toMatchObject({ value: STORED_URL, source: "store" });
    expect(settings.services.chat.apiKey.value).toBe(ENV_KEY);
    expect(settings.services.embedding.apiKey.value).not.toBe(ENV_KEY);
    expect(settings.services.embedding.apiKey.value).not.toBe(ENV_EMBED_KEY);
  });

  it("does not send the config file's service key to a stored service URL that points somewhere else", () => {
    const serviceConfig: SwitchyardConfig = {
      providers: { "openai-compat": { kind: "openai-compat", baseUrl: CONFIG_URL, apiKey: CONFIG_KEY, services: { embedding: { baseUrl: "http://127.0.0.1:9303/v1", apiKey: CONFIG_EMBED_KEY } } } },
    };
    const settings = withStored(serviceConfig, {}, stored({ name: "openai-compat", kind: "openai-compat", serviceUrls: { embedding: STORED_URL } }));
    expect(settings.services.embedding.baseUrl.value).toBe(STORED_URL);
    expect([CONFIG_KEY, CONFIG_EMBED_KEY]).not.toContain(settings.services.embedding.apiKey.value);
  });
});

describe("resolveProviders: the anthropic and azure kinds", () => {
  it("adds anthropic once ANTHROPIC_API_KEY is set, at https://api.anthropic.com/v1 with Bearer auth", () => {
    expect(names()).not.toContain("anthropic");
    const anthropic = provider("anthropic", {}, { ANTHROPIC_API_KEY: "sk-ant-test" });
    expect(anthropic.services.chat.baseUrl).toEqual({ value: "https://api.anthropic.com/v1", source: "default", origin: "anthropic default" });
    expect(anthropic.services.chat.apiKey).toMatchObject({ value: "sk-ant-test", origin: "ANTHROPIC_API_KEY" });
    expect(anthropic.kind.auth).toBe("bearer");
  });

  it("adds azure once AZURE_OPENAI_API_KEY is set, with api-key auth", () => {
    expect(names({}, { AZURE_OPENAI_ENDPOINT: "http://127.0.0.1:9400" })).not.toContain("azure");
    const azure = provider("azure", {}, { AZURE_OPENAI_API_KEY: "azure-key" });
    expect(azure.kind.auth).toBe("api-key");
    expect(azure.services.chat.apiKey).toMatchObject({ value: "azure-key", origin: "AZURE_OPENAI_API_KEY" });
  });

  it("builds the azure base URL from AZURE_OPENAI_ENDPOINT + /openai/v1, ignoring a trailing slash", () => {
    const azure = provider("azure", {}, { AZURE_OPENAI_API_KEY: "azure-key", AZURE_OPENAI_ENDPOINT: "http://127.0.0.1:9400/" });
    expect(azure.services.chat.baseUrl).toEqual({ value: "http://127.0.0.1:9400/openai/v1", source: "env", origin: "AZURE_OPENAI_ENDPOINT" });
  });

  it("prefers AZURE_OPENAI_BASE_URL over AZURE_OPENAI_ENDPOINT, and the config file over both", () => {
    const env: Environment = { AZURE_OPENAI_API_KEY: "azure-key", AZURE_OPENAI_ENDPOINT: "http://127.0.0.1:9400", AZURE_OPENAI_BASE_URL: "http://127.0.0.1:9401/openai/v1" };
    expect(provider("azure", {}, env).services.chat.baseUrl).toMatchObject({ value: "http://127.0.0.1:9401/openai/v1", origin: "AZURE_OPENAI_BASE_URL" });
    const config: SwitchyardConfig = { providers: { azure: { kind: "azure", baseUrl: "http://127.0.0.1:9402/openai/v1" } } };
    expect(provider("azure", config, env).services.chat.baseUrl).toMatchObject({ value: "http://127.0.0.1:9402/openai/v1", source: "config" });
  });

  it("falls back to the placeholder azure host when neither variable is set", () => {
    expect(provider("azure", {}, { AZURE_OPENAI_API_KEY: "azure-key" }).services.chat.baseUrl).toMatchObject({
      value: "https://your-resource.openai.azure.com/openai/v1",
      source: "default",
    });
  });
});
