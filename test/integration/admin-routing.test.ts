/**
 * The routing admin API on a real server with a SQLite store: routes saved through `PUT
 * /api/routes/:name` take effect at once for `/v1` traffic, override config routes of the same
 * name and can be deleted; `GET /api/health/deployments` shows breaker state and last errors;
 * `POST /api/route/explain` explains the order without calling any upstream. The CLI's `route
 * explain` and `status` read the same state from the running gateway.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";
import { startGateway, type TestGateway } from "../support/start-gateway.js";

const CHAT_PATH = "/v1/chat/completions";

let a: ScriptedUpstream;
let b: ScriptedUpstream;
let gateway: TestGateway;
let dataDir: string;

beforeAll(async () => {
  [a, b] = await Promise.all([startScriptedUpstream(), startScriptedUpstream()]);
  dataDir = mkdtempSync(join(tmpdir(), "switchyard-routing-"));
  gateway = await startGateway({
    dataDir,
    env: { SWITCHYARD_ENCRYPTION_KEY: "" },
    config: {
      timeouts: { connectMs: 300, firstByteMs: 2_000, idleMs: 2_000, totalMs: 5_000 },
      routing: { maxAttempts: 2, retryBaseDelayMs: 10, breaker: { consecutiveFailures: 1, coolDownMs: 60_000 } },
      providers: { a: { kind: "openai-compat", baseUrl: a.baseUrl }, b: { kind: "openai-compat", baseUrl: b.baseUrl } },
      routes: { tier: { targets: ["a/m"] } },
    },
  });
});

afterAll(async () => {
  await gateway?.close({ timeoutMs: 0 });
  await Promise.all([a?.close(), b?.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const text = await response.text();
  return { status: response.status, json: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

async function chat(model: string) {
  const client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: "unused", maxRetries: 0 });
  return client.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }).withResponse();
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  const code = await runCli(args, { env: { SWITCHYARD_URL: gateway.url }, stdout, stderr: new PassThrough() });
  return { code, stdout: Buffer.concat(chunks).toString("utf8") };
}

describe("routes through the admin API", () => {
  it("lists the config route, then a saved route overrides it for /v1 traffic at once", async () => {
    const listed = await api("GET", "/api/routes");
    expect(listed.json).toMatchObject({ data: [{ name: "tier", source: "config", targets: ["a/m"] }] });

    const saved = await api("PUT", "/api/routes/tier", { strategy: "priority", targets: ["b/m", "a/m"] });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ name: "tier", source: "store", targets: ["b/m", "a/m"] });

    const { response } = await chat("tier");
    expect(response.headers.get("x-switchyard-deployment")).toBe("b/m");
  });

  it("rejects an invalid route with a 400 naming the field", async () => {
    const bad = await api("PUT", "/api/routes/broken", { targets: [] });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { type: "invalid_request_error", param: "targets" } });
    const reserved = await api("PUT", "/api/routes/default", { targets: ["a/m"] });
    expect(reserved.status).toBe(400);
  });

  it("deleting the saved route brings the config route back", async () => {
    expect((await api("DELETE", "/api/routes/tier")).status).toBe(204);
    const { response } = await chat("tier");
    expect(response.headers.get("x-switchyard-deployment")).toBe("a/m");
    expect((await api("DELETE", "/api/routes/tier")).status).toBe(404);
  });
});

describe("health and explain", () => {
  it("shows an open breaker and the last error after a failure, and explain skips that deployment", async () => {
    await api("PUT", "/api/routes/pair", { targets: ["a/m", "b/m"] });
    a.script(CHAT_PATH, { type: "json", status: 500, body: { error: { message: "a exploded", type: "server_error", param: null, code: null } } });
    const { response } = await chat("pair");
    expect(response.headers.get("x-switchyard-deployment")).toBe("b/m");

    const health = (await api("GET", "/api/health/deployments")).json as { data: { id: string; breaker: { status: string }; last_error: { message: string } | null; models: string[] }[] };
    const entry = health.data.find((deployment) => deployment.id === "a/m");
    expect(entry?.breaker.status).toBe("open");
    expect(entry?.last_error?.message).toContain("a exploded");
    expect(entry?.models).toContain("pair");

    const before = a.requests.length + b.requests.length;
    const explained = (await api("POST", "/api/route/explain", { model: "pair" })).json as { candidates: { deployment: string; status: string; reason: string }[] };
    expect(explained.candidates.map((candidate) => [candidate.deployment, candidate.status])).toEqual([
      ["a/m", "skipped"],
      ["b/m", "chosen"],
    ]);
    expect(a.requests.length + b.requests.length).toBe(before);
  });

  it("explains an unknown model with the usual 404 error body", async () => {
    const unknown = await api("POST", "/api/route/explain", { model: "nope/m" });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: "model_not_found" } });
  });

  it("switchyard route explain and status read the running gateway's breaker state", async () => {
    const explained = await cli("route", "explain", "pair", "--data-dir", dataDir);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/running gateway/);
    expect(explained.stdout).toMatch(/a\/m\s+pair\s+skipped\s+open/);
    expect(explained.stdout).toMatch(/b\/m\s+pair\s+chosen\s+closed/);

    const status = await cli("status", "--data-dir", dataDir);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/gateway:\s+running at/);
    expect(status.stdout).toMatch(/a\/m\s+breaker OPEN/);
  });

  it("route explain still answers from config and store when no gateway is running", async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    const configFile = join(dataDir, "offline.config.json");
    writeFileSync(configFile, JSON.stringify({ providers: { a: { kind: "openai-compat", baseUrl: a.baseUrl }, b: { kind: "openai-compat", baseUrl: b.baseUrl } } }));
    const before = a.requests.length + b.requests.length;
    const code = await runCli(["route", "explain", "pair", "--data-dir", dataDir, "--config", configFile, "--url", "http://127.0.0.1:9", "--json"], { env: {}, stdout, stderr: new PassThrough() });
    expect(a.requests.length + b.requests.length).toBe(before);
    expect(code).toBe(0);
    const explained = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { source: string; candidates: { deployment: string; status: string }[] };
    expect(explained.source).toMatch(/gateway not reachable/);
    // The saved route comes from the store; no process holds breaker state, so both pass.
    expect(explained.candidates.map((candidate) => candidate.status)).toEqual(["chosen", "fallback"]);
  });
});
