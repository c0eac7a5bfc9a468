/**
 * @module test/integration/gateway-keys.test
 * Gateway keys end to end: keys created through the admin API on a real SQLite store, and the
 * official `openai` SDK calling `/v1` with none, a wrong, a revoked, an expired, a restricted, a
 * rate-limited and a valid key. The upstream is the third-party mock-llm on 127.0.0.1; no error
 * body may ever contain a key.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI, { APIError, AuthenticationError, PermissionDeniedError, RateLimitError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKeyHasher } from "../../src/auth/stored-key-hasher.js";
import { displayPrefix, generateGatewayKey } from "../../src/auth/key-material.js";
import type { SwitchyardConfig } from "../../src/config/config-schema.js";
import { SQLITE_FILE_NAME } from "../../src/defaults.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store-types.js";
import { startMockLlm, type MockLlm } from "../support/mock-llm.js";
import { startGateway, type TestGateway } from "../support/start-gateway.js";

/** Only the ollama kind (pointed at mock-llm) is on, so nothing asks another local port. */
const CONFIG: SwitchyardConfig = {
  providers: {
    lm_studio: { kind: "lm_studio", enabled: false },
    vllm: { kind: "vllm", enabled: false },
    llamacpp: { kind: "llamacpp", enabled: false },
    "openai-compat": { kind: "openai-compat", enabled: false },
  },
};

interface CreatedKey {
  id: string;
  key: string;
  key_prefix: string;
  status: string;
  name: string;
  models: string[] | null;
}

let mockLlm: MockLlm;
let dataDir: string;
let store: Store;
let gateway: TestGateway;
/** Every key the suite created or presented; none may appear in an error body. */
const secrets: string[] = [];
/** Every error body the suite received. */
const errorBodies: string[] = [];

async function admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 400) errorBodies.push(text);
  return { status: response.status, body: (text === "" ? {} : JSON.parse(text)) as T };
}

async function createKey(body: Record<string, unknown>): Promise<CreatedKey> {
  const created = await admin<CreatedKey>("POST", "/api/keys", body);
  expect(created.status).toBe(201);
  secrets.push(created.body.key);
  return created.body;
}

function client(apiKey: string): OpenAI {
  secrets.push(apiKey);
  return new OpenAI({ baseURL: gateway.baseUrl, apiKey, maxRetries: 0, timeout: 5_000 });
}

function chat(apiKey: string, model = "ollama/gpt-5.2", extra: Record<string, unknown> = {}): Promise<OpenAI.Chat.Completions.ChatCompletion> {
  return client(apiKey).chat.completions.create({ model, messages: [{ role: "user", content: "hello" }], ...extra });
}

/** The APIError a call rejects with (failing the test when it succeeds). */
async function failure(call: Promise<unknown>): Promise<APIError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(APIError);
  const apiError = error as APIError;
  errorBodies.push(JSON.stringify(apiError.error), apiError.message);
  return apiError;
}

/** A raw `/v1` call, for checking the exact status and body. */
async function raw(path: string, authorization?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${gateway.url}${path}`, authorization === undefined ? {} : { headers: { authorization } });
  const text = await response.text();
  if (response.status >= 400) errorBodies.push(text);
  return { status: response.status, text, headers: response.headers };
}

beforeAll(async () => {
  mockLlm = await startMockLlm();
  dataDir = mkdtempSync(join(tmpdir(), "switchyard-gateway-keys-"));
  store = await openStore({ kind: "sqlite", file: join(dataDir, SQLITE_FILE_NAME) });
  gateway = await startGateway({ env: { OLLAMA_BASE_URL: mockLlm.baseUrl }, config: CONFIG, dataDir, store });
});

afterAll(async () => {
  await gateway.close();
  await store.close();
  await mockLlm.close();
  rmSync(dataDir, { recursive: true, force: true });
  // The canary: no key, created or presented, ever came back in an error.
  for (const body of errorBodies) for (const secret of secrets) expect(body).not.toContain(secret);
});

describe("gateway keys on /v1", () => {
  let allModels: CreatedKey;

  it("leaves /v1 open on loopback while no gateway key exists", async () => {
    const answer = await chat("any-client-key");
    expect(answer.choices[0]?.message.content).toContain("hello");
  });

  it("creates a key through the admin API, shown once, listed only by its prefix", async () => {
    allModels = await createKey({ name: "all models" });
    expect(allModels.key).toMatch(/^sk-sy-[0-9A-Za-z]{43}$/);
    expect(allModels.key_prefix).toBe(`${displayPrefix(allModels.key)}…`);
    expect(allModels.status).toBe("active");
    const listed = await fetch(`${gateway.url}/api/keys`).then((response) => response.text());
    const one = await fetch(`${gateway.url}/api/keys/${allModels.id}`).then((response) => response.text());
    for (const text of [listed, one]) {
      expect(text).toContain(allModels.key_prefix);
      expect(text).not.toContain(allModels.key);
      expect(text).not.toContain("hash");
    }
  });

  it("then answers 401 invalid_api_key without a key, with a wrong key and with a non-gateway key", async () => {
    const missing = await raw("/v1/models");
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.text)).toEqual({
      error: { message: expect.stringContaining("in the Authorization header") as string, type: "authentication_error", param: null, code: "invalid_api_key" },
    });
    for (const wrong of [generateGatewayKey(), "sk-not-a-gateway-key-0123456789", allModels.key.slice(0, -1)]) {
      const error = await failure(chat(wrong));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.code).toBe("invalid_api_key");
    }
  });

  it("serves chat and the model list with a valid key, and keeps /health open", async () => {
    const answer = await chat(allModels.key);
    expect(answer.choices[0]?.message.content).toContain("hello");
    const models = await client(allModels.key).models.list();
    expect(models.data.map((model) => model.id)).toContain("ollama/gpt-5.2");
    expect((await raw("/health")).status).toBe(200);
  });

  it("refuses with 403 model_not_allowed a model outside the key's allow-list, and lists only allowed models", async () => {
    const restricted = await createKey({ name: "restricted", models: ["ollama/gpt-5.2"] });
    expect((await chat(restricted.key, "ollama/gpt-5.2")).object).toBe("chat.completion");
    const error = await failure(chat(restricted.key, "ollama/llama3"));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.status).toBe(403);
    expect(error.code).toBe("model_not_allowed");
    expect(error.error).toMatchObject({ type: "permission_error", param: "model" });
    expect((await raw("/v1/models/ollama%2Fllama3", `Bearer ${restricted.key}`)).status).toBe(403);
    const listed = await client(restricted.key).models.list();
    expect(listed.data.map((model) => model.id)).toEqual(["ollama/gpt-5.2"]);
  });

  it("allows a whole provider with '<prefix>/*'", async () => {
    const provider = await createKey({ name: "provider", models: ["ollama/*"] });
    expect((await chat(provider.key, "ollama/anything")).object).toBe("chat.completion");
    expect((await failure(chat(provider.key, "vllm/anything"))).status).toBe(403);
  });

  it("refuses a revoked key with 401, at once", async () => {
    const doomed = await createKey({ name: "doomed" });
    expect((await chat(doomed.key)).object).toBe("chat.completion");
    const revoked = await admin<{ status: string; revoked_at: string }>("DELETE", `/api/keys/${doomed.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe("revoked");
    const error = await failure(chat(doomed.key));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("invalid_api_key");
    expect((await admin<{ status: string }>("GET", `/api/keys/${doomed.id}`)).body.status).toBe("revoked");
  });

  it("refuses an expired key with 401 and refuses to create one that is already expired", async () => {
    const past = await admin<{ error: { code: string; param: string } }>("POST", "/api/keys", { name: "past", expires_at: "2000-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
    expect(past.body.error.param).toBe("expires_at");
    // Stored directly, as a key that has since expired would be.
    const key = generateGatewayKey();
    secrets.push(key);
    const hasher = await loadKeyHasher(store);
    await store.createGatewayKey({ name: "expired", keyHash: hasher.hash(key), keyPrefix: displayPrefix(key), models: null, rpm: null, tpm: null, expiresAt: "2001-01-01T00:00:00.000Z" });
    await gateway.gateway.reload();
    const error = await failure(chat(key));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("invalid_api_key");
    expect(error.message).toMatch(/expired/);
  });

  it("answers 429 rate_limit_exceeded with Retry-After once a key's requests per minute are used up", async () => {
    const limited = await createKey({ name: "limited", rpm: 2 });
    await chat(limited.key);
    await chat(limited.key);
    const error = await failure(chat(limited.key));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe("rate_limit_exceeded");
    const retryAfter = Number(error.headers?.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another key is not affected.
    expect((await chat(allModels.key)).object).toBe("chat.completion");
  });

  it("answers 429 once a key's estimated tokens per minute are used up", async () => {
    const tokens = await createKey({ name: "tokens", tpm: 50 });
    await chat(tokens.key, "ollama/gpt-5.2", { max_tokens: 100 });
    const error = await failure(chat(tokens.key, "ollama/gpt-5.2", { max_tokens: 100 }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toMatch(/50 tokens per minute/);
  });

  it("rejects invalid key definitions with 400 naming the field", async () => {
    for (const body of [{}, { name: "x", rpm: 0 }, { name: "x", models: [] }, { name: "x", extra: true }, { name: "x", expires_at: "tomorrow" }]) {
      expect((await admin("POST", "/api/keys", body)).status).toBe(400);
    }
    expect((await admin("GET", "/api/keys/no-such-id")).status).toBe(404);
    expect((await admin("DELETE", "/api/keys/no-such-id")).status).toBe(404);
  });

  it("opens /v1 again once every key is revoked (the loopback default)", async () => {
    const { body } = await admin<{ data: CreatedKey[] }>("GET", "/api/keys");
    for (const key of body.data) await admin("DELETE", `/api/keys/${key.id}`);
    expect((await chat("any-client-key")).object).toBe("chat.completion");
  });
});
