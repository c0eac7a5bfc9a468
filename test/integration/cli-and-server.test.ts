import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";

const MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const KEY = "sk-cli-and-server-0123456789abcd";

let home: string;
let dataDir: string;
let upstream: ScriptedUpstream;
let gateway: TestGateway;

function cli(args: readonly string[], stdin?: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, SWITCHYARD_DATA_DIR: dataDir },
    stdio: [stdin === undefined ? "ignore" : "pipe", "ignore", "pipe"],
  });
  let stderr = "";
  (child.stderr as Readable).on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  if (stdin !== undefined) (child.stdin as Writable).end(stdin);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stderr }));
  });
}

async function chat(model: string): Promise<Response> {
  return fetch(`${gateway.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 6_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("condition not met in time");
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "switchyard-cli-server-"));
  dataDir = join(home, "data");
  upstream = await startScriptedUpstream();
  // The built-in local kinds are switched off so nothing calls their default ports.
  const off = { enabled: false } as const;
  gateway = await startGateway({
    dataDir,
    config: {
      providers: {
        ollama: { kind: "ollama", ...off },
        lm_studio: { kind: "lm_studio", ...off },
        vllm: { kind: "vllm", ...off },
        llamacpp: { kind: "llamacpp", ...off },
        "openai-compat": { kind: "openai-compat", ...off },
      },
    },
  });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
  await rm(home, { recursive: true, force: true });
});

describe("a running server and the CLI sharing one data directory", () => {
  it("routes to a credential the CLI added, within a couple of seconds and without a restart", async () => {
    expect((await chat("box/m")).status).toBe(404);
    const added = await cli(["credentials", "add", "--name", "box", "--kind", "vllm", "--base-url", upstream.baseUrl, "--api-key-stdin"], KEY);
    expect(added.code, added.stderr).toBe(0);
    await eventually(async () => (await chat("box/m")).status === 200);
    const last = upstream.requests.at(-1);
    expect(last?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect((last?.json() as { model?: string } | undefined)?.model).toBe("m");
  });

  it("stops routing to a credential the CLI removed", async () => {
    const removed = await cli(["credentials", "remove", "box", "--yes"]);
    expect(removed.code, removed.stderr).toBe(0);
    await eventually(async () => (await chat("box/m")).status === 404);
  });
});
