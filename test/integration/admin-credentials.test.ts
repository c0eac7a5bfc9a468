/**
 * @module test/integration/admin-credentials.test
 * The credentials admin API over real sockets, on a real SQLite file in a temp directory: create,
 * list, get, update and delete (secrets write-only, masks only), validation errors, renames that
 * carry models and defaults along, the key re-entry rule for a new base URL, optimistic concurrency,
 * test connection with each plain-language diagnosis, precedence (store > config > env > default)
 * and migration from environment variables. Every upstream is a scripted server on 127.0.0.1; the
 * built-in local kinds are disabled so no default port on this machine is ever asked anything.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";
import { DISABLED_BUILTINS } from "../support/disabled-builtins.js";

const WORK_KEY = "sk-work-key-0123456789abcdWXYZ";
const MOVED_KEY = "sk-moved-key-9876543210fedcQRST";


interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

interface LastTest {
  ok: boolean;
  at: string;
  latency_ms: number | null;
  message: string;
}

interface Credential {
  id: string;
  name: string;
  kind: string;
  base_url: string | null;
  effective_base_url: string | null;
  has_api_key: boolean;
  api_key_mask: string | null;
  service_urls: Record<string, string>;
  service_keys: string[];
  header_names: string[];
  provider_fields: Record<string, unknown>;
  enabled: boolean;
  priority: number;
  last_test: LastTest | null;
  secrets_error: string | null;
  version: number;
}

interface ConnectionTest {
  ok: boolean;
  code: string;
  latency_ms: number | null;
  status?: number;
  model_count?: number;
  diagnosis: string;
}

interface Reply<T> {
  readonly status: number;
  readonly text: string;
  readonly body: T;
}

/** One admin API call; the body is parsed when there is one. */
async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: (text === "" ? undefined : JSON.parse(text)) as T };
}

/** A chat completion through the gateway. */
async function chat(base: string, model: string): Promise<Reply<unknown>> {
  return call(base, "POST", "/v1/chat/completions", { model, messages: [{ role: "user", content: "hi" }] });
}

/** A port on 127.0.0.1 where nothing listens: bind to 0, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `switchyard-${label}-`));
}

describe("credentials CRUD", () => {
  let dataDir: string;
  let upstream: ScriptedUpstream;
  let movedUpstream: ScriptedUpstream;
  let gateway: TestGateway;
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(gateway.url, method, path, body);

  beforeAll(async () => {
    dataDir = tempDir("admin-credentials");
    [upstream, movedUpstream] = await Promise.all([startScriptedUpstream({ models: ["alpha-chat", "alpha-embed"] }), startScriptedUpstream()]);
    gateway = await startGateway({ dataDir, config: { providers: DISABLED_BUILTINS } });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([upstream?.close(), movedUpstream?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates a credential with 201 and a masked key, never the key itself", async () => {
    const created = await api<Credential>("POST", "/api/credentials", {
      name: "work",
      kind: "openai-compat",
      base_url: upstream.baseUrl,
      api_key: WORK_KEY,
      headers: { "X-Title": "switchyard-tests" },
      priority: 2,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "work",
      kind: "openai-compat",
      base_url: upstream.baseUrl,
      effective_base_url: upstream.baseUrl,
      has_api_key: true,
      api_key_mask: "sk-…WXYZ",
      header_names: ["X-Title"],
      enabled: true,
      priority: 2,
      last_test: null,
      secrets_error: null,
      version: 1,
    });
    expect(created.text).not.toContain(WORK_KEY);
    expect(created.text).not.toContain("switchyard-tests");
  });

  it("lists credentials and gets one by id and by name", async () => {
    const list = await api<{ data: Credential[] }>("GET", "/api/credentials");
    expect(list.status).toBe(200);
    const work = list.body.data.find((credential) => credential.name === "work");
    expect(work).toMatchObject({ has_api_key: true, api_key_mask: "sk-…WXYZ" });
    const byId = await api<Credential>("GET", `/api/credentials/${work?.id ?? ""}`);
    const byName = await api<Credential>("GET", "/api/credentials/work");
    expect(byId.status).toBe(200);
    expect(byName.body).toEqual(byId.body);
    expect(list.text + byId.text).not.toContain(WORK_KEY);
  });

  it("returns provider_fields exactly as they were sent", async () => {
    const fields = { deploymentName: "gpt-4o-prod", api_version: "2024-10-21" };
    const created = await api<Credential>("POST", "/api/credentials", { name: "fields", kind: "openai-compat", base_url: upstream.baseUrl, provider_fields: fields });
    const fetched = await api<Credential>("GET", "/api/credentials/fields");
    expect((await api<Credential>("DELETE", "/api/credentials/fields")).status).toBe(204);
    expect(created.status).toBe(201);
    expect(created.body.provider_fields).toEqual(fields);
    expect(fetched.body.provider_fields).toEqual(fields);
  });

  it("rejects invalid bodies with 400 OpenAI-style errors that name the field", async () => {
    const cases: { body: Record<string, unknown>; param: string | null; mentions: RegExp }[] = [
      { body: { name: "x", kind: "openai-compat", apikey: WORK_KEY }, param: null, mentions: /unknown field 'apikey'/ },
      { body: { name: "x", kind: "no-such-kind" }, param: "kind", mentions: /kind/ },
      { body: { name: "x", kind: "openai-compat", base_url: "ftp://127.0.0.1/v1" }, param: "base_url", mentions: /base_url: must be an http:\/\/ or https:\/\/ URL/ },
      { body: { name: "team/x", kind: "openai-compat" }, param: "name", mentions: /name: .*no '\/'/ },
    ];
    for (const { body, param, mentions } of cases) {
      const reply = await api<ErrorBody>("POST", "/api/credentials", body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param });
      expect(reply.body.error.message).toMatch(mentions);
      expect(reply.text).not.toContain(WORK_KEY);
    }
    const notJson = await fetch(`${gateway.url}/api/credentials`, { method: "POST", headers: { "content-type": "application/json" }, body: "{name:" });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).error.code).toBe("invalid_json");
    const list = await api<{ data: Credential[] }>("GET", "/api/credentials");
    expect(list.body.data.map((credential) => credential.name)).toEqual(["work"]);
  });

  it("answers 409 for a duplicate name and 404 for an unknown id", async () => {
    const duplicate = await api<ErrorBody>("POST", "/api/credentials", { name: "work", kind: "vllm", base_url: upstream.baseUrl });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe("already_exists");
    for (const [method, path] of [
      ["GET", "/api/credentials/no-such-credential"],
      ["PATCH", "/api/credentials/no-such-credential"],
      ["DELETE", "/api/credentials/no-such-credential"],
      ["POST", "/api/credentials/no-such-credential/test"],
      ["POST", "/api/credentials/no-such-credential/discover"],
    ] as const) {
      const reply = await api<ErrorBody>(method, path, method === "PATCH" ? { priority: 1 } : undefined);
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.body.error).toMatchObject({ code: "not_found", type: "not_found_error" });
      expect(reply.body.error.message).toContain("no-such-credential");
    }
  });

  it("refuses to move a stored key to a new base URL unless the key is given again, changing nothing", async () => {
    const before = await api<Credential>("GET", "/api/credentials/work");
    const refused = await api<ErrorBody>("PATCH", "/api/credentials/work", { base_url: movedUpstream.baseUrl });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "invalid_request", param: "api_key" });
    expect(refused.body.error.message).toMatch(/requires entering the API key again/);
    const unchanged = await api<Credential>("GET", "/api/credentials/work");
    expect(unchanged.body).toEqual(before.body);
    // The old host still gets the old key: routing did not move either.
    const sent = upstream.requests.length;
    expect((await chat(gateway.url, "work/alpha-chat")).status).toBe(200);
    expect(upstream.requests.slice(sent).map((request) => request.headers.authorization)).toEqual([`Bearer ${WORK_KEY}`]);

    // Extra headers may hold keys too, so they must be sent again along with the key.
    const withoutHeaders = await api<ErrorBody>("PATCH", "/api/credentials/work", { base_url: movedUpstream.baseUrl, api_key: MOVED_KEY });
    expect(withoutHeaders.status).toBe(400);
    expect(withoutHeaders.body.error).toMatchObject({ code: "invalid_request", param: "headers" });

    const moved = await api<Credential>("PATCH", "/api/credentials/work", {
      base_url: movedUpstream.baseUrl,
      api_key: MOVED_KEY,
      headers: { "X-Title": "switchyard-tests" },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ base_url: movedUpstream.baseUrl, api_key_mask: "sk-…QRST", version: before.body.version + 1 });
    expect(moved.text).not.toContain(MOVED_KEY);
    const movedSent = movedUpstream.requests.length;
    expect((await chat(gateway.url, "work/alpha-chat")).status).toBe(200);
    expect(movedUpstream.requests.slice(movedSent).map((request) => request.headers.authorization)).toEqual([`Bearer ${MOVED_KEY}`]);

    // Back again, with the original key, for the tests below.
    const back = await api<Credential>("PATCH", "/api/credentials/work", { base_url: upstream.baseUrl, api_key: WORK_KEY, headers: { "X-Title": "switchyard-tests" } });
    expect(back.body).toMatchObject({ base_url: upstream.baseUrl, api_key_mask: "sk-…WXYZ" });
  });

  it("moves the registered models and defaults along when a credential is renamed", async () => {
    const registered = await api<{ registered: { id: string }[] }>("POST", "/api/credentials/work/register", {
      models: ["alpha-chat", "alpha-embed"],
      custom: [{ name: "nick", upstream_model: "alpha-chat" }],
    });
    expect(registered.body.registered.map((model) => model.id).sort()).toEqual(["work/alpha-chat", "work/alpha-embed", "work/nick"]);
    expect((await api("PUT", "/api/defaults/chat", { model: "work/nick" })).status).toBe(200);
    expect((await api("PUT", "/api/defaults/embedding", { model: "work/alpha-embed" })).status).toBe(200);

    const renamed = await api<Credential>("PATCH", "/api/credentials/work", { name: "job" });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe("job");
    const models = await api<{ data: { id: string; credential: string; upstream_model: string }[] }>("GET", "/api/models");
    expect(models.body.data.map((model) => [model.id, model.credential, model.upstream_model]).sort()).toEqual([
      ["job/alpha-chat", "job", "alpha-chat"],
      ["job/alpha-embed", "job", "alpha-embed"],
      ["job/nick", "job", "alpha-chat"],
    ]);
    expect((await api("GET", "/api/defaults")).body).toEqual({ chat: "job/nick", embedding: "job/alpha-embed" });

    const sent = upstream.requests.length;
    expect((await chat(gateway.url, "job/nick")).status).toBe(200);
    expect((await chat(gateway.url, "default")).status).toBe(200);
    expect(upstream.requests.slice(sent).map((request) => (request.json() as { model: string }).model)).toEqual(["alpha-chat", "alpha-chat"]);
    const old = await chat(gateway.url, "work/nick");
    expect(old.status).toBe(404);
    expect((old.body as ErrorBody).error.code).toBe("model_not_found");
  });

  it("deletes a credential with 204, and its models and defaults go with it", async () => {
    const deleted = await api("DELETE", "/api/credentials/job");
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await api("GET", "/api/credentials/job")).status).toBe(404);
    expect((await api<{ data: unknown[] }>("GET", "/api/models")).body.data).toEqual([]);
    expect((await api("GET", "/api/defaults")).body).toEqual({});
    expect((await chat(gateway.url, "job/nick")).status).toBe(404);
    const noDefault = await chat(gateway.url, "default");
    expect(noDefault.status).toBe(404);
    expect((noDefault.body as ErrorBody).error.message).toMatch(/No default chat model is set/);
  });

  it("lets exactly one of two concurrent edits of the same version win, and stores only the winner's changes", async () => {
    const created = await api<Credential>("POST", "/api/credentials", { name: "shared", kind: "openai-compat", base_url: upstream.baseUrl, api_key: WORK_KEY });
    expect(created.status).toBe(201);
    let settledPriority = 0;
    for (let round = 0; round < 5; round += 1) {
      const current = await api<Credential>("GET", "/api/credentials/shared");
      const edits = [
        { version: current.body.version, priority: 100 + round, enabled: true, headers: { "X-Edit-A": "a" } },
        { version: current.body.version, priority: 200 + round, enabled: false, headers: { "X-Edit-B": "b" } },
      ];
      const replies = await Promise.all(edits.map((edit) => api<Credential & ErrorBody>("PATCH", "/api/credentials/shared", edit)));
      expect(replies.map((reply) => reply.status).sort()).toEqual([200, 409]);
      const winner = replies.findIndex((reply) => reply.status === 200);
      const loser = replies[1 - winner];
      expect(loser?.body.error.code).toBe("conflict");
      expect(loser?.body.error.message).toMatch(/changed by someone else/);
      const stored = await api<Credential>("GET", "/api/credentials/shared");
      const won = edits[winner];
      expect(stored.body).toMatchObject({
        priority: won?.priority,
        enabled: won?.enabled,
        header_names: Object.keys(won?.headers ?? {}),
        version: current.body.version + 1,
        api_key_mask: "sk-…WXYZ",
        base_url: upstream.baseUrl,
      });
      settledPriority = won?.priority ?? 0;
    }
    const stale = await api<ErrorBody>("PATCH", "/api/credentials/shared", { version: 1, priority: 9 });
    expect(stale.status).toBe(409);
    expect((await api<Credential>("GET", "/api/credentials/shared")).body.priority).toBe(settledPriority);
    expect((await api("DELETE", "/api/credentials/shared")).status).toBe(204);
  });
});

describe("test connection", () => {
  let dataDir: string;
  let healthy: ScriptedUpstream;
  let faulty: ScriptedUpstream;
  let gateway: TestGateway;
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(gateway.url, method, path, body);

  /** Creates a credential and tests it once. */
  async function testNew(name: string, baseUrl: string): Promise<ConnectionTest> {
    const created = await api<Credential>("POST", "/api/credentials", { name, kind: "openai-compat", base_url: baseUrl, api_key: WORK_KEY });
    expect(created.status).toBe(201);
    const tested = await api<ConnectionTest>("POST", `/api/credentials/${name}/test`);
    expect(tested.status).toBe(200);
    expect(tested.text).not.toContain(WORK_KEY);
    return tested.body;
  }

  beforeAll(async () => {
    dataDir = tempDir("admin-test-connection");
    [healthy, faulty] = await Promise.all([startScriptedUpstream({ models: ["one", "two", "three"] }), startScriptedUpstream()]);
    gateway = await startGateway({ dataDir, config: { providers: DISABLED_BUILTINS } });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([healthy?.close(), faulty?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("reports a working server with its latency and model count, and remembers the result", async () => {
    const result = await testNew("healthy", healthy.baseUrl);
    expect(result).toMatchObject({ ok: true, code: "ok", status: 200, model_count: 3 });
    expect(result.latency_ms).toEqual(expect.any(Number));
    expect(result.diagnosis).toMatch(/^Connected to 127\.0\.0\.1:\d+ in \d+ ms; it lists 3 models\.$/);
    expect(healthy.requests.at(-1)?.headers.authorization).toBe(`Bearer ${WORK_KEY}`);
    const credential = await api<Credential>("GET", "/api/credentials/healthy");
    expect(credential.body.last_test).toMatchObject({ ok: true, latency_ms: result.latency_ms, message: result.diagnosis });
    expect(Date.parse(credential.body.last_test?.at ?? "")).not.toBeNaN();
  });

  it("says nothing is listening when the connection is refused", async () => {
    const port = await closedPort();
    const result = await testNew("refused", `http://127.0.0.1:${port}/v1`);
    expect(result).toMatchObject({ ok: false, code: "refused", latency_ms: null });
    expect(result.diagnosis).toBe(`Nothing is listening at 127.0.0.1:${port} — is the server running, and is the port right?`);
    expect((await api<Credential>("GET", "/api/credentials/refused")).body.last_test).toMatchObject({ ok: false, latency_ms: null, message: result.diagnosis });
  });

  it("says the key was rejected on a 401", async () => {
    faulty.script("/v1/models", { type: "json", status: 401, body: { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } } });
    const result = await testNew("rejected", faulty.baseUrl);
    expect(result).toMatchObject({ ok: false, code: "unauthorized", status: 401 });
    expect(result.diagnosis).toMatch(/rejected the API key \(HTTP 401\)\. Check that the key is correct/);
  });

  it("points out a missing /v1 on a 404", async () => {
    const result = await testNew("no-v1", faulty.url);
    expect(result).toMatchObject({ ok: false, code: "not_found_path", status: 404 });
    expect(result.diagnosis).toContain(`The base URL has no /v1; try ${faulty.url}/v1.`);
  });

  it("points out a doubled /v1 on a 404", async () => {
    const result = await testNew("double-v1", `${faulty.baseUrl}/v1`);
    expect(result).toMatchObject({ ok: false, code: "not_found_path", status: 404 });
    expect(result.diagnosis).toContain(`The base URL repeats /v1 (${faulty.baseUrl}/v1); try ${faulty.baseUrl}.`);
  });

  it("says the base URL points at a web page when the answer is HTML", async () => {
    faulty.script("/v1/models", { type: "text", status: 200, contentType: "text/html", body: "<!DOCTYPE html><html><head><title>Open WebUI</title></head><body>hi</body></html>" });
    const result = await testNew("html", faulty.baseUrl);
    expect(result).toMatchObject({ ok: false, code: "bad_response" });
    expect(result.diagnosis).toMatch(/answered with an HTML page \("Open WebUI"\) instead of a JSON model list/);
  });

  it("says the server is still loading a model on a 503", async () => {
    faulty.script("/v1/models", { type: "json", status: 503, body: { error: { code: 503, message: "Loading model", type: "unavailable_error" } } });
    const result = await testNew("loading", faulty.baseUrl);
    expect(result).toMatchObject({ ok: false, code: "model_loading", status: 503 });
    expect(result.diagnosis).toMatch(/is up but not ready \(HTTP 503\): "Loading model"\. It is most likely still loading a model/);
  });
});

describe("precedence: stored credential > config file > environment > default", () => {
  const STORED_VLLM_KEY = "sk-stored-vllm-key-11112222AAAA";
  const STORED_OLLAMA_KEY = "sk-stored-ollama-key-33334444BBBB";
  const ENV_VLLM_KEY = "sk-env-vllm-key-55556666CCCC";
  let dataDir: string;
  let configUpstream: ScriptedUpstream;
  let envUpstream: ScriptedUpstream;
  let storeUpstream: ScriptedUpstream;
  let gateway: TestGateway;
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(gateway.url, method, path, body);

  interface ProviderStatus {
    name: string;
    kind: string;
    base_url: string;
    base_url_source: string;
    has_api_key: boolean;
    api_key_source: string;
  }

  async function provider(name: string): Promise<ProviderStatus | undefined> {
    const status = await api<{ providers: ProviderStatus[] }>("GET", "/api/status");
    expect(status.status).toBe(200);
    for (const secret of [STORED_VLLM_KEY, STORED_OLLAMA_KEY, ENV_VLLM_KEY]) expect(status.text).not.toContain(secret);
    return status.body.providers.find((candidate) => candidate.name === name);
  }

  beforeAll(async () => {
    dataDir = tempDir("admin-precedence");
    [configUpstream, envUpstream, storeUpstream] = await Promise.all([startScriptedUpstream(), startScriptedUpstream(), startScriptedUpstream()]);
    gateway = await startGateway({
      dataDir,
      env: { VLLM_BASE_URL: envUpstream.baseUrl, VLLM_API_KEY: ENV_VLLM_KEY, OLLAMA_BASE_URL: envUpstream.url },
      config: {
        providers: {
          vllm: { kind: "vllm", baseUrl: configUpstream.baseUrl, headers: { "X-From": "config" } },
          lm_studio: { kind: "lm_studio", enabled: false },
          llamacpp: { kind: "llamacpp", enabled: false },
          "openai-compat": { kind: "openai-compat", enabled: false },
        },
      },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([configUpstream?.close(), envUpstream?.close(), storeUpstream?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts from the config file over the environment, and says so in /api/status", async () => {
    expect(await provider("vllm")).toMatchObject({
      base_url: configUpstream.baseUrl,
      base_url_source: "config (providers.vllm.baseUrl)",
      has_api_key: true,
      api_key_source: "env (VLLM_API_KEY)",
    });
    expect(await provider("ollama")).toMatchObject({ base_url: envUpstream.baseUrl, base_url_source: "env (OLLAMA_BASE_URL)", api_key_source: "default (ollama default)" });
  });

  it("lets a stored credential win for the fields it sets and fall through for the others", async () => {
    const vllm = await api<Credential>("POST", "/api/credentials", { name: "vllm", kind: "vllm", api_key: STORED_VLLM_KEY });
    expect(vllm.status).toBe(201);
    expect(vllm.body).toMatchObject({ base_url: null, effective_base_url: configUpstream.baseUrl });
    expect(await provider("vllm")).toMatchObject({
      base_url: configUpstream.baseUrl,
      base_url_source: "config (providers.vllm.baseUrl)",
      api_key_source: "store (stored credential 'vllm')",
    });
    const ollama = await api<Credential>("POST", "/api/credentials", { name: "ollama", kind: "ollama", api_key: STORED_OLLAMA_KEY });
    expect(ollama.body).toMatchObject({ base_url: null, effective_base_url: envUpstream.baseUrl });
    expect(await provider("ollama")).toMatchObject({ base_url_source: "env (OLLAMA_BASE_URL)", api_key_source: "store (stored credential 'ollama')" });

    const configSent = configUpstream.requests.length;
    expect((await chat(gateway.url, "vllm/some-model")).status).toBe(200);
    const [toConfig] = configUpstream.requests.slice(configSent);
    expect(toConfig?.headers.authorization).toBe(`Bearer ${STORED_VLLM_KEY}`);
    expect(toConfig?.headers["x-from"]).toBe("config");
    const envSent = envUpstream.requests.length;
    expect((await chat(gateway.url, "ollama/llama3.1:8b")).status).toBe(200);
    expect(envUpstream.requests.slice(envSent).map((request) => request.headers.authorization)).toEqual([`Bearer ${STORED_OLLAMA_KEY}`]);
  });

  it("uses the stored base URL once one is stored", async () => {
    const moved = await api<Credential>("PATCH", "/api/credentials/vllm", { base_url: storeUpstream.baseUrl, api_key: STORED_VLLM_KEY });
    expect(moved.status).toBe(200);
    expect(await provider("vllm")).toMatchObject({
      base_url: storeUpstream.baseUrl,
      base_url_source: "store (stored credential 'vllm')",
      api_key_source: "store (stored credential 'vllm')",
    });
    const sent = storeUpstream.requests.length;
    expect((await chat(gateway.url, "vllm/some-model")).status).toBe(200);
    expect(storeUpstream.requests.slice(sent).map((request) => request.headers.authorization)).toEqual([`Bearer ${STORED_VLLM_KEY}`]);
  });

  it("falls back to the config file and environment again when the credential is deleted", async () => {
    expect((await api("DELETE", "/api/credentials/vllm")).status).toBe(204);
    expect(await provider("vllm")).toMatchObject({ base_url_source: "config (providers.vllm.baseUrl)", api_key_source: "env (VLLM_API_KEY)" });
  });
});

describe("migration from environment variables", () => {
  const ENV_OLLAMA_KEY = "ollama-env-key-7788990011DDDD";
  const BAD_URL_TOKEN = "bad-url-token-4455";
  let dataDir: string;
  let upstream: ScriptedUpstream;
  let gateway: TestGateway;
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(gateway.url, method, path, body);

  interface EnvStatus {
    kind: string;
    name: string;
    variables: string[];
    has_api_key: boolean;
    api_key_mask: string | null;
    base_url: string | null;
    already_stored: boolean;
  }

  interface MigrationResult {
    kind: string;
    name: string;
    status: "imported" | "already_present" | "failed";
    reason?: string;
    credential_id?: string;
  }

  beforeAll(async () => {
    dataDir = tempDir("admin-env-migration");
    upstream = await startScriptedUpstream();
    const port = await closedPort();
    gateway = await startGateway({
      dataDir,
      env: {
        OLLAMA_BASE_URL: upstream.url,
        OLLAMA_API_KEY: ENV_OLLAMA_KEY,
        VLLM_BASE_URL: upstream.baseUrl,
        // Not an http(s) URL, so it cannot be imported; the config entry below keeps routing off it.
        OPENAI_COMPAT_BASE_URL: `ftp://${BAD_URL_TOKEN}@127.0.0.1:${port}/v1`,
      },
      config: {
        providers: {
          lm_studio: { kind: "lm_studio", enabled: false },
          llamacpp: { kind: "llamacpp", enabled: false },
          "openai-compat": { kind: "openai-compat", baseUrl: `http://127.0.0.1:${port}/v1`, enabled: false },
        },
      },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists the providers found in the environment by variable name, with masked keys only", async () => {
    const status = await api<{ data: EnvStatus[] }>("GET", "/api/credentials/env-status");
    expect(status.status).toBe(200);
    expect(status.text).not.toContain(ENV_OLLAMA_KEY);
    expect(status.body.data).toEqual(
      expect.arrayContaining([
        { kind: "ollama", name: "ollama", variables: ["OLLAMA_BASE_URL", "OLLAMA_API_KEY"], has_api_key: true, api_key_mask: "ollama-…DDDD", base_url: upstream.url, already_stored: false },
        { kind: "vllm", name: "vllm", variables: ["VLLM_BASE_URL"], has_api_key: false, api_key_mask: null, base_url: upstream.baseUrl, already_stored: false },
        expect.objectContaining({ kind: "openai-compat", variables: ["OPENAI_COMPAT_BASE_URL"], has_api_key: false, already_stored: false }),
      ]),
    );
  });

  it("imports each provider once, reports what it did, and names a bad variable without its value", async () => {
    const first = await api<{ results: MigrationResult[] }>("POST", "/api/credentials/migrate-from-env");
    expect(first.status).toBe(200);
    expect(first.text).not.toContain(ENV_OLLAMA_KEY);
    expect(first.text).not.toContain(BAD_URL_TOKEN);
    const byName = new Map(first.body.results.map((result) => [result.name, result]));
    expect(byName.get("ollama")).toMatchObject({ status: "imported", credential_id: expect.any(String) });
    expect(byName.get("vllm")).toMatchObject({ status: "imported" });
    const failed = byName.get("openai-compat");
    expect(failed?.status).toBe("failed");
    expect(failed?.reason).toContain("OPENAI_COMPAT_BASE_URL");
    expect(failed?.reason).toMatch(/http:\/\/ or https:\/\//);

    const second = await api<{ results: MigrationResult[] }>("POST", "/api/credentials/migrate-from-env");
    const again = new Map(second.body.results.map((result) => [result.name, result]));
    expect(again.get("ollama")).toMatchObject({ status: "already_present", reason: expect.stringContaining("left unchanged") });
    expect(again.get("vllm")).toMatchObject({ status: "already_present" });
    expect(again.get("openai-compat")?.status).toBe("failed");
    expect(second.text).not.toContain(BAD_URL_TOKEN);

    const credentials = await api<{ data: Credential[] }>("GET", "/api/credentials");
    expect(credentials.body.data.map((credential) => credential.name).sort()).toEqual(["ollama", "vllm"]);
    expect(credentials.body.data.find((credential) => credential.name === "ollama")).toMatchObject({ has_api_key: true, api_key_mask: "ollama-…DDDD", base_url: upstream.url });
    const status = await api<{ data: EnvStatus[] }>("GET", "/api/credentials/env-status");
    expect(status.body.data.filter((entry) => entry.already_stored).map((entry) => entry.name).sort()).toEqual(["ollama", "vllm"]);
  });

  it("routes through the imported credential with the imported key", async () => {
    const sent = upstream.requests.length;
    expect((await chat(gateway.url, "ollama/llama3.1:8b")).status).toBe(200);
    expect(upstream.requests.slice(sent).map((request) => request.headers.authorization)).toEqual([`Bearer ${ENV_OLLAMA_KEY}`]);
  });
});

describe("secrets must be entered again when an address changes", () => {
  const HEADER_SECRET = "hdr-secret-value-5566";
  const SERVICE_KEY = "sk-embed-service-key-7788EEEE";
  const ENV_COMPAT_KEY = "sk-env-compat-key-9900FFFF";
  let dataDir: string;
  let home: ScriptedUpstream;
  let away: ScriptedUpstream;
  let gateway: TestGateway;
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(gateway.url, method, path, body);

  async function create(body: Record<string, unknown>): Promise<Credential> {
    const created = await api<Credential>("POST", "/api/credentials", body);
    expect(created.status, created.text).toBe(201);
    return created.body;
  }

  /** The Authorization headers `away` received for one chat through `model`. */
  async function authorizationAt(target: ScriptedUpstream, model: string): Promise<(string | undefined)[]> {
    const sent = target.requests.length;
    expect((await chat(gateway.url, model)).status).toBe(200);
    return target.requests.slice(sent).map((request) => request.headers.authorization);
  }

  beforeAll(async () => {
    dataDir = tempDir("admin-reentry");
    [home, away] = await Promise.all([startScriptedUpstream(), startScriptedUpstream()]);
    gateway = await startGateway({
      dataDir,
      // The generic kind's key variable, with its base URL variable pointing at `home`.
      env: { OPENAI_COMPAT_BASE_URL: home.baseUrl, OPENAI_COMPATIBLE_API_KEY: ENV_COMPAT_KEY },
      config: { providers: { ...DISABLED_BUILTINS, "openai-compat": { kind: "openai-compat", baseUrl: home.baseUrl, enabled: false } } },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([home?.close(), away?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses a base URL change that re-sends the key but not the stored headers, with param headers, changing nothing", async () => {
    await create({ name: "with-headers", kind: "openai-compat", base_url: home.baseUrl, api_key: WORK_KEY, headers: { "X-Secret": HEADER_SECRET } });
    const before = await api<Credential>("GET", "/api/credentials/with-headers");
    const refused = await api<ErrorBody>("PATCH", "/api/credentials/with-headers", { base_url: away.baseUrl, api_key: WORK_KEY });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param: "headers" });
    expect(refused.body.error.message).toMatch(/sending the extra headers again/);
    expect(refused.text).not.toContain(HEADER_SECRET);
    expect((await api<Credential>("GET", "/api/credentials/with-headers")).body).toEqual(before.body);
    const sent = away.requests.length;
    await authorizationAt(home, "with-headers/m");
    expect(away.requests.length).toBe(sent);
  });

  it("refuses a base URL change on a credential with stored headers but no key unless the headers are sent", async () => {
    await create({ name: "headers-only", kind: "openai-compat", base_url: home.baseUrl, headers: { "X-Secret": HEADER_SECRET } });
    const refused = await api<ErrorBody>("PATCH", "/api/credentials/headers-only", { base_url: away.baseUrl });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe("headers");
    const cleared = await api<Credential>("PATCH", "/api/credentials/headers-only", { base_url: away.baseUrl, headers: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ base_url: away.baseUrl, header_names: [] });
  });

  it("moves a credential once both the key and the headers are sent again", async () => {
    const moved = await api<Credential>("PATCH", "/api/credentials/with-headers", { base_url: away.baseUrl, api_key: WORK_KEY, headers: { "X-Secret": HEADER_SECRET } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ base_url: away.baseUrl, header_names: ["X-Secret"] });
    const sent = away.requests.length;
    expect(await authorizationAt(away, "with-headers/m")).toEqual([`Bearer ${WORK_KEY}`]);
    expect(away.requests[sent]?.headers["x-secret"]).toBe(HEADER_SECRET);
  });

  it("refuses a service URL change without that service's key while service keys are stored, with param service_keys", async () => {
    await create({ name: "services", kind: "openai-compat", base_url: home.baseUrl, service_urls: { embedding: home.baseUrl }, service_keys: { embedding: SERVICE_KEY } });
    const before = await api<Credential>("GET", "/api/credentials/services");
    const refused = await api<ErrorBody>("PATCH", "/api/credentials/services", { service_urls: { embedding: away.baseUrl } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "invalid_request", param: "service_keys" });
    expect(refused.body.error.message).toContain("service_keys.embedding");
    expect(refused.text).not.toContain(SERVICE_KEY);
    expect((await api<Credential>("GET", "/api/credentials/services")).body).toEqual(before.body);
  });

  it("refuses a service URL change that re-sends another service's key but not the moved one's", async () => {
    const refused = await api<ErrorBody>("PATCH", "/api/credentials/services", { service_urls: { embedding: away.baseUrl }, service_keys: { tts: SERVICE_KEY } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe("service_keys");
  });

  it("moves a service URL once that service's key is sent again", async () => {
    const moved = await api<Credential>("PATCH", "/api/credentials/services", { service_urls: { embedding: away.baseUrl }, service_keys: { embedding: SERVICE_KEY } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ service_urls: { embedding: away.baseUrl }, service_keys: ["embedding"] });
    const sent = away.requests.length;
    expect((await call(gateway.url, "POST", "/v1/embeddings", { model: "services/e", input: "x" })).status).toBe(200);
    expect(away.requests.slice(sent).map((request) => request.headers.authorization)).toEqual([`Bearer ${SERVICE_KEY}`]);
  });

  it("refuses moving a service URL without a key entered again when the stored main key would follow it there", async () => {
    // No service keys are stored, so the embedding service uses the stored main key: moving only
    // its URL would send that key to a new address without its owner entering it again.
    await create({ name: "main-key-only", kind: "openai-compat", base_url: home.baseUrl, api_key: WORK_KEY });
    const refused = await api<ErrorBody>("PATCH", "/api/credentials/main-key-only", { service_urls: { embedding: away.baseUrl } });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain(WORK_KEY);
  });

  it("lets a credential without a base URL use the environment's key at the environment's URL", async () => {
    await create({ name: "inherits", kind: "openai-compat" });
    expect(await authorizationAt(home, "inherits/m")).toEqual([`Bearer ${ENV_COMPAT_KEY}`]);
  });

  it("sends no inherited key once the credential's own base URL points elsewhere", async () => {
    // Nothing is stored to re-enter, so the move is allowed, but the environment's key stays behind.
    const moved = await api<Credential>("PATCH", "/api/credentials/inherits", { base_url: away.baseUrl });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ base_url: away.baseUrl, effective_base_url: away.baseUrl, has_api_key: false });
    expect(await authorizationAt(away, "inherits/m")).toEqual([undefined]);
    const status = await api<{ providers: { name: string; has_api_key: boolean; api_key_source: string }[] }>("GET", "/api/status");
    expect(status.body.providers.find((provider) => provider.name === "inherits")).toMatchObject({ has_api_key: false });
    expect(status.text).not.toContain(ENV_COMPAT_KEY);
  });

  it("inherits the environment's key again when the stored base URL equals the environment's", async () => {
    const back = await api<Credential>("PATCH", "/api/credentials/inherits", { base_url: home.baseUrl });
    expect(back.status).toBe(200);
    expect(await authorizationAt(home, "inherits/m")).toEqual([`Bearer ${ENV_COMPAT_KEY}`]);
  });
});

describe("admin request bodies and defaults", () => {
  const BODY_KEY = "sk-live-Abc123XyZ987LeakCheck";
  let dataDir: string;
  let upstream: ScriptedUpstream;
  let gateway: TestGateway;
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(gateway.url, method, path, body);

  async function sendRaw(method: string, path: string, body: string): Promise<{ status: number; text: string; error: ErrorBody["error"] }> {
    const response = await fetch(`${gateway.url}${path}`, { method, headers: { "content-type": "application/json" }, body });
    const text = await response.text();
    return { status: response.status, text, error: (JSON.parse(text) as ErrorBody).error };
  }

  beforeAll(async () => {
    dataDir = tempDir("admin-bodies");
    upstream = await startScriptedUpstream();
    gateway = await startGateway({ dataDir, config: { providers: DISABLED_BUILTINS } });
    expect((await api("POST", "/api/credentials", { name: "box", kind: "openai-compat", base_url: upstream.baseUrl, api_key: WORK_KEY })).status).toBe(201);
    expect((await api("POST", "/api/models", { credential: "box", name: "talk", type: "chat" })).status).toBe(201);
    expect((await api("POST", "/api/models", { credential: "box", name: "vectors", type: "embedding" })).status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses a chat model as the embedding default with 400 param model, leaving the defaults alone", async () => {
    const refused = await api<ErrorBody>("PUT", "/api/defaults/embedding", { model: "box/talk" });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param: "model" });
    expect(refused.body.error.message).toContain("'box/talk' is a chat model");
    expect((await api("GET", "/api/defaults")).body).toEqual({});
  });

  it("refuses an embedding model as the chat default", async () => {
    const refused = await api<ErrorBody>("PUT", "/api/defaults/chat", { model: "box/vectors" });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe("model");
  });

  it("accepts a model of the default's own type, and clearing with null", async () => {
    expect((await api("PUT", "/api/defaults/embedding", { model: "box/vectors" })).body).toEqual({ embedding: "box/vectors" });
    expect((await api("PUT", "/api/defaults/chat", { model: "box/talk" })).body).toEqual({ chat: "box/talk", embedding: "box/vectors" });
    expect((await api("PUT", "/api/defaults/embedding", { model: null })).body).toEqual({ chat: "box/talk" });
  });

  it("answers an invalid JSON body with 400 invalid_json without quoting the body, which may hold a key", async () => {
    // V8's own message would quote the text around the error: `..."api_key": sk-live-Ab"...`.
    for (const [method, path] of [
      ["POST", "/api/credentials"],
      ["PATCH", "/api/credentials/box"],
    ] as const) {
      const reply = await sendRaw(method, path, `{"name": "leak", "kind": "openai-compat", "api_key": ${BODY_KEY}}`);
      expect(reply.status, `${method} ${path}`).toBe(400);
      expect(reply.error).toMatchObject({ type: "invalid_request_error", code: "invalid_json", param: null });
      expect(reply.error.message).toMatch(/^The request body is not valid JSON/);
      expect(reply.text).not.toContain("sk-live");
      expect(reply.text).not.toContain("Abc123");
    }
    const truncated = await sendRaw("POST", "/api/credentials", `{"api_key": "${BODY_KEY}", `);
    expect(truncated.error.code).toBe("invalid_json");
    expect(truncated.text).not.toContain("sk-live");
    expect((await api<{ data: Credential[] }>("GET", "/api/credentials")).body.data.map((credential) => credential.name)).toEqual(["box"]);
  });
});

describe("discovery for an anthropic credential", () => {
  const ANTHROPIC_KEY = "sk-ant-api03-discovery-key-4455";
  let dataDir: string;
  let upstream: ScriptedUpstream;
  let gateway: TestGateway;
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(gateway.url, method, path, body);

  interface Discovered {
    id: string;
    type: string;
    display_name?: string;
    registered: boolean;
  }

  const model = (id: string, displayName: string) => ({ id, display_name: displayName, created_at: "2025-09-29T00:00:00Z", type: "model" });

  beforeAll(async () => {
    dataDir = tempDir("admin-anthropic");
    upstream = await startScriptedUpstream();
    gateway = await startGateway({ dataDir, config: { providers: DISABLED_BUILTINS } });
    const created = await api<Credential>("POST", "/api/credentials", { name: "claude", kind: "anthropic", base_url: upstream.baseUrl, api_key: ANTHROPIC_KEY });
    expect(created.status, created.text).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists every model over both pages of /v1/models with display names, asking with x-api-key and anthropic-version", async () => {
    upstream.script(
      "/v1/models",
      {
        type: "json",
        body: {
          data: [model("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"), model("claude-opus-4-1-20250805", "Claude Opus 4.1")],
          has_more: true,
          first_id: "claude-sonnet-4-5-20250929",
          last_id: "claude-opus-4-1-20250805",
        },
      },
      {
        type: "json",
        body: { data: [model("claude-3-5-haiku-20241022", "Claude Haiku 3.5")], has_more: false, first_id: "claude-3-5-haiku-20241022", last_id: "claude-3-5-haiku-20241022" },
      },
    );
    const sent = upstream.requests.length;
    const reply = await api<{ data: Discovered[] }>("POST", "/api/credentials/claude/discover");
    expect(reply.status, reply.text).toBe(200);
    expect(reply.text).not.toContain(ANTHROPIC_KEY);
    expect(reply.body.data).toEqual([
      { id: "claude-sonnet-4-5-20250929", type: "chat", display_name: "Claude Sonnet 4.5", registered: false },
      { id: "claude-opus-4-1-20250805", type: "chat", display_name: "Claude Opus 4.1", registered: false },
      { id: "claude-3-5-haiku-20241022", type: "chat", display_name: "Claude Haiku 3.5", registered: false },
    ]);
    const requests = upstream.requests.slice(sent);
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.method).toBe("GET");
      expect(request.path).toBe("/v1/models");
      expect(request.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
      expect(request.headers["anthropic-version"]).toBe("2023-06-01");
      expect(request.headers).not.toHaveProperty("authorization");
    }
    const [first, second] = requests.map((request) => new URL(request.url, upstream.url).searchParams);
    expect(first?.get("after_id")).toBeNull();
    expect(second?.get("after_id")).toBe("claude-opus-4-1-20250805");
  });

  it("answers a rejected key with 502 and the diagnosis, never the key", async () => {
    upstream.script("/v1/models", { type: "json", status: 401, body: { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } } });
    const reply = await api<ErrorBody>("POST", "/api/credentials/claude/discover");
    expect(reply.status).toBe(502);
    expect(reply.body.error.message).toMatch(/401/);
    expect(reply.text).not.toContain(ANTHROPIC_KEY);
  });
});

describe("migration of the azure variables", () => {
  const AZURE_KEY = "azure-env-key-0123456789abcdef";
  let dataDir: string;
  let upstream: ScriptedUpstream;
  let gateway: TestGateway;
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(gateway.url, method, path, body);

  beforeAll(async () => {
    dataDir = tempDir("admin-azure-migration");
    upstream = await startScriptedUpstream();
    gateway = await startGateway({ dataDir, env: { AZURE_OPENAI_ENDPOINT: upstream.url, AZURE_OPENAI_API_KEY: AZURE_KEY }, config: { providers: DISABLED_BUILTINS } });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("imports AZURE_OPENAI_ENDPOINT as the credential's base URL, so the variables can be removed afterwards", async () => {
    const status = await api<{ data: { kind: string; variables: string[]; base_url: string | null }[] }>("GET", "/api/credentials/env-status");
    expect(status.text).not.toContain(AZURE_KEY);
    expect(status.body.data.find((entry) => entry.kind === "azure")).toMatchObject({ variables: expect.arrayContaining(["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"]) });
    const migrated = await api<{ results: { name: string; status: string }[] }>("POST", "/api/credentials/migrate-from-env");
    expect(migrated.body.results.find((result) => result.name === "azure")?.status).toBe("imported");
    expect((await api<Credential>("GET", "/api/credentials/azure")).body).toMatchObject({ base_url: `${upstream.url}/openai/v1`, has_api_key: true });
  });
});
