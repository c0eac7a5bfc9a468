/**
 * @module test/integration/secret-canary.test
 * Plants distinctive secrets (API keys, per-service keys, header values, an environment key) in
 * several credentials, drives every admin and gateway path that touches them — including upstreams
 * that echo the Authorization and X-Canary headers back in JSON error bodies, response headers and
 * HTML 401 pages — and fails if any planted secret (or a 12-character piece of one) appears in any
 * HTTP response body or header, or in any log line, or in plaintext in the SQLite files.
 * Config-file providers carry canaries too (key, header, a `?key=` in the base URL, user-info),
 * behind upstreams that echo them in JSON, HTML and plain-text error bodies; clients send keys in
 * malformed bodies, model ids, paths and headers; a config reload fails next to a key. The log
 * stream is captured at debug level, so the model-list and reload diagnostics are checked too.
 * Every server contacted is started here, on 127.0.0.1.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SQLITE_FILE_NAME } from "../../src/defaults.js";
import { createLogger } from "../../src/observability/logger.js";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";

/** A secret with a random core, so no other text can contain a piece of it by chance. */
function canary(prefix: string): { value: string; core: string } {
  const core = randomBytes(12).toString("hex");
  return { value: `${prefix}${core}`, core };
}

const SECRETS = {
  alphaKey: canary("sk-canary-alpha-"),
  alphaRotatedKey: canary("sk-canary-alpha2-"),
  alphaServiceKey: canary("sk-canary-svc-alpha-"),
  alphaHeader: canary("canary-hdr-alpha-"),
  alphaRotatedHeader: canary("canary-hdr-alpha2-"),
  echoKey: canary("sk-canary-echo-"),
  echoServiceKey: canary("sk-canary-svc-echo-"),
  echoHeader: canary("canary-hdr-echo-"),
  pageKey: canary("sk-canary-page-"),
  pageHeader: canary("canary-hdr-page-"),
  rejectedKey: canary("sk-canary-rejected-"),
  envKey: canary("ollama-canary-env-"),
  // No known key prefix: these can only be caught by value (or by their place).
  cfgKey: canary("cfgcanary-key-"),
  cfgHeader: canary("cfgcanary-hdr-"),
  cfgQueryKey: canary("cfgcanary-query-"),
  cfgUserInfo: canary("cfgcanary-pass-"),
  reloadKey: canary("cfgcanary-reload-"),
  // A client's own key: caught by its prefix wherever a message quotes what the client sent.
  clientKey: canary("sk-canary-client-"),
} as const;

type SecretName = keyof typeof SECRETS;

/** The secret, its random core, and every 12-character window of the core. */
function fragments(name: SecretName): string[] {
  const { value, core } = SECRETS[name];
  const windows = Array.from({ length: core.length - 11 }, (_, start) => core.slice(start, start + 12));
  return [value, core, ...windows];
}

/** Which planted secrets appear in `text`. */
function leaksIn(text: string): SecretName[] {
  return (Object.keys(SECRETS) as SecretName[]).filter((name) => fragments(name).some((fragment) => text.includes(fragment)));
}

interface Captured {
  readonly label: string;
  readonly text: string;
}

/** Every response status line, header and body this file received. */
const responses: Captured[] = [];
/** Every log line the gateway wrote. */
const logLines: string[] = [];

interface Reply<T> {
  readonly status: number;
  readonly text: string;
  readonly body: T;
}

let dataDir: string;
let scripted: ScriptedUpstream;
let echo: { url: string; server: Server };
let gateway: TestGateway;
let gatewayClosed = false;
/** Where every gateway of this file writes its log lines (captured in logLines). */
let logDestination: Writable;

/** Sends a request and records everything that came back. */
async function send<T>(method: string, path: string, body?: unknown, rawBody?: string, requestHeaders: Record<string, string> = {}): Promise<Reply<T>> {
  const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { ...(payload === undefined ? {} : { "content-type": "application/json" }), ...requestHeaders },
    ...(payload === undefined ? {} : { body: payload }),
  });
  const text = await response.text();
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
  responses.push({ label: `${method} ${path} → ${response.status}`, text: `${response.status}\n${headers}\n\n${text}` });
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, text, body: parsed as T };
}

/** Fails with the labels of the responses (and log lines) that contain a planted secret. */
function expectNoLeaks(captured: readonly Captured[]): void {
  const found = captured.flatMap((entry) => leaksIn(entry.text).map((name) => `${name} in ${entry.label}: ${entry.text.slice(0, 600)}`));
  expect(found).toEqual([]);
}

/** Runs `work` and checks only the responses it produced. */
async function noLeaksFrom(work: () => Promise<void>): Promise<void> {
  const start = responses.length;
  await work();
  expectNoLeaks(responses.slice(start));
}

/**
 * An upstream that rejects everything and quotes what it was sent: `/json/…` answers a 401 JSON
 * error naming the Authorization and X-Canary values and the URL (in message and param, and the key
 * in WWW-Authenticate), `/html/…` a 401 HTML page with the key in its title and body — as some
 * proxies do — and `/text/…` a 500 plain-text traceback quoting all of it.
 */
async function startEchoUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const authorization = request.headers.authorization ?? "";
      const header = String(request.headers["x-canary"] ?? "");
      const url = request.url ?? "";
      if (url.startsWith("/text/")) {
        response.writeHead(500, { "content-type": "text/plain" });
        response.end(`Traceback (most recent call last):\n  File "proxy.py", line 12, in forward\nAuthError: GET ${url} with Authorization: ${authorization} X-Canary: ${header}\n`);
        return;
      }
      if (url.startsWith("/html/")) {
        const page = `<!DOCTYPE html><html><head><title>401 Unauthorized: ${authorization} at ${url}</title></head><body><h1>Rejected ${authorization}</h1><p>X-Canary was ${header}</p></body></html>`;
        response.writeHead(401, { "content-type": "text/html; charset=utf-8" });
        response.end(page);
        return;
      }
      const body = JSON.stringify({ error: { message: `Invalid credentials. You sent Authorization: ${authorization} and X-Canary: ${header} to ${url}`, type: "invalid_request_error", param: header === "" ? null : header, code: "invalid_api_key" } });
      response.writeHead(401, { "content-type": "application/json", "www-authenticate": `Bearer realm="echo", error="invalid_token", token="${authorization}"`, "x-echo-canary": header });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function sqliteBytes(): string {
  const file = join(dataDir, SQLITE_FILE_NAME);
  return [file, `${file}-wal`, `${file}-journal`]
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString("latin1"))
    .join("\n");
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "switchyard-canary-"));
  scripted = await startScriptedUpstream({ models: ["scripted-chat", "scripted-embed"] });
  echo = await startEchoUpstream();
  logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString("utf8").split("\n").filter((line) => line !== ""));
      done();
    },
  });
  const destination = logDestination;
  gateway = await startGateway({
    dataDir,
    logger: createLogger({ level: "debug", destination }),
    env: { OLLAMA_BASE_URL: scripted.url, OLLAMA_API_KEY: SECRETS.envKey.value },
    config: {
      providers: {
        lm_studio: { kind: "lm_studio", enabled: false },
        vllm: { kind: "vllm", enabled: false },
        llamacpp: { kind: "llamacpp", enabled: false },
        "openai-compat": { kind: "openai-compat", enabled: false },
        // Config-file credentials, each behind an upstream that echoes what it was sent.
        cfgecho: { kind: "openai-compat", baseUrl: `${echo.url}/json/v1?key=${SECRETS.cfgQueryKey.value}`, apiKey: SECRETS.cfgKey.value, headers: { "X-Canary": SECRETS.cfgHeader.value } },
        cfgpage: { kind: "openai-compat", baseUrl: `${echo.url}/html/v1`, apiKey: SECRETS.cfgKey.value, headers: { "X-Canary": SECRETS.cfgHeader.value } },
        cfgtext: { kind: "openai-compat", baseUrl: `${echo.url}/text/v1?key=${SECRETS.cfgQueryKey.value}`, apiKey: SECRETS.cfgKey.value, headers: { "X-Canary": SECRETS.cfgHeader.value } },
        cfguser: { kind: "openai-compat", baseUrl: echo.url.replace("http://", `http://canary:${SECRETS.cfgUserInfo.value}@`) + "/json/v1", apiKey: SECRETS.cfgKey.value },
      },
    },
  });
});

afterAll(async () => {
  if (!gatewayClosed) await gateway?.close();
  await scripted?.close();
  if (echo !== undefined) {
    echo.server.closeAllConnections();
    await new Promise<void>((resolve) => echo.server.close(() => resolve()));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe("planted secrets never come back out", () => {
  it("creating, listing and reading credentials returns masks and header names only", async () => {
    await noLeaksFrom(async () => {
      const credentials = [
        { name: "alpha", kind: "openai-compat", base_url: scripted.baseUrl, api_key: SECRETS.alphaKey.value, service_keys: { embedding: SECRETS.alphaServiceKey.value }, headers: { "X-Canary": SECRETS.alphaHeader.value } },
        { name: "echoer", kind: "openai-compat", base_url: `${echo.url}/json/v1`, api_key: SECRETS.echoKey.value, service_keys: { embedding: SECRETS.echoServiceKey.value }, headers: { "X-Canary": SECRETS.echoHeader.value } },
        { name: "page", kind: "openai-compat", base_url: `${echo.url}/html/v1`, api_key: SECRETS.pageKey.value, headers: { "X-Canary": SECRETS.pageHeader.value } },
      ];
      for (const credential of credentials) {
        const created = await send<{ has_api_key: boolean; header_names: string[]; service_keys: string[] }>("POST", "/api/credentials", credential);
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({ has_api_key: true, header_names: ["X-Canary"] });
        const registered = await send("POST", `/api/credentials/${credential.name}/register`, {
          custom: [
            { name: "chat", upstream_model: "scripted-chat" },
            { name: "emb", upstream_model: "scripted-embed", type: "embedding" },
          ],
        });
        expect(registered.status).toBe(200);
      }
      const list = await send<{ data: { id: string; name: string }[] }>("GET", "/api/credentials");
      expect(list.body.data.map((credential) => credential.name).sort()).toEqual(["alpha", "echoer", "page"]);
      for (const credential of list.body.data) {
        await send("GET", `/api/credentials/${credential.id}`);
        await send("GET", `/api/credentials/${credential.name}`);
      }
      await send("GET", "/api/models");
      await send("GET", "/api/models/alpha/chat");
      await send("GET", "/api/status");
      await send("GET", "/api/defaults");
    });
  });

  it("updating keys and headers, and conflicting or invalid updates, echo no secret", async () => {
    await noLeaksFrom(async () => {
      const rotated = await send<{ version: number }>("PATCH", "/api/credentials/alpha", { api_key: SECRETS.alphaRotatedKey.value, headers: { "X-Canary": SECRETS.alphaRotatedHeader.value } });
      expect(rotated.status).toBe(200);
      const stale = await send("PATCH", "/api/credentials/alpha", { version: 1, api_key: SECRETS.rejectedKey.value });
      expect(stale.status).toBe(409);
      const moved = await send("PATCH", "/api/credentials/alpha", { base_url: `${scripted.url}/elsewhere/v1` });
      expect(moved.status).toBe(400);
      const unknownField = await send("PATCH", "/api/credentials/alpha", { apikey: SECRETS.rejectedKey.value });
      expect(unknownField.status).toBe(400);
      const badName = await send("POST", "/api/credentials", { name: "bad/name", kind: "openai-compat", api_key: SECRETS.rejectedKey.value, headers: { "X-Canary": SECRETS.rejectedKey.value } });
      expect(badName.status).toBe(400);
      const badService = await send("POST", "/api/credentials", { name: "bad-service", kind: "openai-compat", service_keys: { video: SECRETS.rejectedKey.value } });
      expect(badService.status).toBe(400);
      const badHeader = await send("POST", "/api/credentials", { name: "bad-header", kind: "openai-compat", headers: { "Bad Header": SECRETS.rejectedKey.value } });
      expect(badHeader.status).toBe(400);
      const badKeyType = await send("POST", "/api/credentials", { name: "bad-key", kind: "openai-compat", api_key: [SECRETS.rejectedKey.value] });
      expect(badKeyType.status).toBe(400);
      const malformed = await send("POST", "/api/credentials", undefined, `{"name":"x","kind":"openai-compat","api_key":"${SECRETS.rejectedKey.value}",}`);
      expect(malformed.status).toBe(400);
      const duplicate = await send("POST", "/api/credentials", { name: "alpha", kind: "openai-compat", api_key: SECRETS.rejectedKey.value });
      expect(duplicate.status).toBe(409);
    });
  });

  it("connection tests redact keys and header values that an upstream echoes in JSON or HTML", async () => {
    await noLeaksFrom(async () => {
      const ok = await send<{ ok: boolean }>("POST", "/api/credentials/alpha/test");
      expect(ok.body.ok).toBe(true);
      const echoed = await send<{ ok: boolean; code: string }>("POST", "/api/credentials/echoer/test");
      expect(echoed.body).toMatchObject({ ok: false, code: "unauthorized" });
      const page = await send<{ ok: boolean; code: string }>("POST", "/api/credentials/page/test");
      expect(page.body).toMatchObject({ ok: false, code: "unauthorized" });
      await send("GET", "/api/credentials/echoer");
      await send("GET", "/api/credentials");
    });
  });

  it("discovery and registration echo no secret, also when the upstream refuses", async () => {
    await noLeaksFrom(async () => {
      const discovered = await send<{ data: unknown[] }>("POST", "/api/credentials/alpha/discover");
      expect(discovered.status).toBe(200);
      expect((await send("POST", "/api/credentials/alpha/register", { all: true })).status).toBe(200);
      expect((await send("POST", "/api/credentials/alpha/register", { models: ["scripted-chat", "not-offered"] })).status).toBe(200);
      await send("POST", "/api/credentials/echoer/discover");
      await send("POST", "/api/credentials/page/discover");
      await send("POST", "/api/credentials/echoer/register", { models: ["anything"] });
    });
  });

  it("model tests redact keys, service keys and header values an upstream echoes", async () => {
    await noLeaksFrom(async () => {
      for (const id of ["alpha/chat", "alpha/emb", "echoer/chat", "echoer/emb", "page/chat"]) {
        const tested = await send<{ ok: boolean }>("POST", `/api/models/${id}/test`);
        expect(tested.status, id).toBe(200);
        expect(tested.body.ok, id).toBe(id.startsWith("alpha/"));
      }
    });
  });

  it("gateway calls relay upstream errors without the key, service key or header values they echo", async () => {
    await noLeaksFrom(async () => {
      const chat = (model: string, stream = false) => send("POST", "/v1/chat/completions", { model, stream, messages: [{ role: "user", content: "hi" }] });
      expect((await chat("alpha/chat")).status).toBe(200);
      expect((await send("POST", "/v1/embeddings", { model: "alpha/emb", input: "x" })).status).toBe(200);
      expect((await chat("echoer/chat")).status).toBe(401);
      expect((await chat("echoer/chat", true)).status).toBe(401);
      expect((await send("POST", "/v1/embeddings", { model: "echoer/emb", input: "x" })).status).toBe(401);
      expect((await chat("page/chat")).status).toBe(401);
      expect((await chat("nobody/chat")).status).toBe(404);
      await send("GET", "/v1/models");
      await send("GET", "/v1/models/echoer/chat");
    });
  });

  it("environment status and migration show only masks", async () => {
    await noLeaksFrom(async () => {
      const status = await send<{ data: { name: string; api_key_mask: string | null }[] }>("GET", "/api/credentials/env-status");
      expect(status.body.data.find((entry) => entry.name === "ollama")?.api_key_mask).toMatch(/^ollama-…[0-9a-f]{4}$/);
      const migrated = await send<{ results: { name: string; status: string }[] }>("POST", "/api/credentials/migrate-from-env");
      expect(migrated.body.results).toContainEqual(expect.objectContaining({ name: "ollama", status: "imported" }));
      await send("GET", "/api/credentials/ollama");
      await send("GET", "/api/status");
      expect((await send("DELETE", "/api/credentials/page")).status).toBe(204);
    });
  });

  it("config-file credentials stay out of relayed errors for JSON, HTML and plain-text echoes", async () => {
    await noLeaksFrom(async () => {
      const chat = (model: string, stream = false) => send<{ error: { message: string; param: string | null } }>("POST", "/v1/chat/completions", { model, stream, messages: [{ role: "user", content: "hi" }] });
      const echoed = await chat("cfgecho/m");
      expect(echoed.status).toBe(401);
      // The echo arrives, with every secret part cut out.
      expect(echoed.body.error.message).toContain("Invalid credentials");
      expect((await chat("cfgecho/m", true)).status).toBe(401);
      expect((await chat("cfgpage/m")).status).toBe(401);
      expect((await chat("cfgtext/m")).status).toBe(500);
      expect((await chat("cfguser/m")).status).toBe(401);
      expect((await send("POST", "/v1/embeddings", { model: "cfgecho/e", input: "x" })).status).toBe(401);
      // Every failing provider is skipped from the list, and the reasons go to the debug log.
      expect((await send("GET", "/v1/models")).status).toBe(200);
      await send("GET", "/v1/models/cfgecho/m");
      await send("GET", "/v1/models/cfgtext/m");
      await send("GET", "/api/status");
      await send("GET", "/api/credentials/env-status");
    });
    expect(logLines.some((line) => line.includes("providers skipped"))).toBe(true);
  });

  it("requests that quote a client's key get errors that do not quote it back", async () => {
    await noLeaksFrom(async () => {
      const key = SECRETS.clientKey.value;
      expect((await send("POST", "/v1/chat/completions", undefined, `{"model":"alpha/chat","api_key":${key},"messages":[]}`)).status).toBe(400);
      expect((await send("POST", "/v1/chat/completions", undefined, `{"model":"alpha/chat","messages":[{"role":"user","content":"${key}"}]`)).status).toBe(400);
      expect((await send("POST", "/v1/chat/completions", { model: key, messages: [] })).status).toBe(404);
      expect((await send("GET", `/v1/models/${key}`)).status).toBe(404);
      expect((await send("GET", `/v1/${key}`)).status).toBe(404);
      expect((await send("POST", "/v1/chat/completions", undefined, "{}", { "content-type": `text/plain; key=${key}` })).status).toBe(415);
      expect((await send("POST", "/api/credentials", undefined, `{"name":"x","kind":"openai-compat","api_key":${key}}`)).status).toBe(400);
    });
  });

  it("a config file that fails to load next to a key does not quote the key", async () => {
    const file = join(dataDir, "reload.json");
    writeFileSync(file, JSON.stringify({ providers: { box: { kind: "openai-compat", baseUrl: `${scripted.url}/v1`, apiKey: SECRETS.reloadKey.value } } }));
    const other = await startGateway({ config: file, logger: createLogger({ level: "debug", destination: logDestination }) });
    try {
      for (const broken of [
        `{"providers":{"box":{"kind":"openai-compat","apiKey":${SECRETS.reloadKey.value}}}}`,
        `{"providers":{"box":{"kind":"openai-compat","apiKey":"${SECRETS.reloadKey.value}",}}}`,
        `{"providers":{"box":{"kind":"openai-compat","baseUrl":"ftp://u:${SECRETS.reloadKey.value}@127.0.0.1/?key=${SECRETS.reloadKey.value}"}}}`,
      ]) {
        writeFileSync(file, broken);
        const failure = await other.gateway.reload().then(
          () => new Error("expected the reload to fail"),
          (error: unknown) => error as Error,
        );
        expect(failure.name).toBe("ConfigError");
        expect(leaksIn(failure.message)).toEqual([]);
      }
    } finally {
      await other.close();
    }
  });

  it("no planted secret appears in any response body or header of this file", () => {
    expect(responses.length).toBeGreaterThan(50);
    expectNoLeaks(responses);
  });

  it("no planted secret appears in any log line", () => {
    // The refused discoveries above are logged as errors, so the capture is known to work.
    expect(logLines.length).toBeGreaterThan(0);
    expectNoLeaks(logLines.map((line, index) => ({ label: `log line ${index}`, text: line })));
  });

  it("the SQLite files never hold a planted secret in plaintext", async () => {
    const found = leaksIn(sqliteBytes());
    expect(found).toEqual([]);
    // Once stopped too, after SQLite folded the write-ahead log into the main file.
    await gateway.close();
    gatewayClosed = true;
    expect(leaksIn(sqliteBytes())).toEqual([]);
  });
});
