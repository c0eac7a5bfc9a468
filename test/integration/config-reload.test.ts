import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigFile } from "../../src/config/load-config-file.js";
import { resolveProviders } from "../../src/config/resolve-providers.js";
import type { TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";

const examples = fileURLToPath(new URL("../../examples/", import.meta.url));

async function waitFor(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("condition not met in time");
}

describe("example configs", () => {
  it.each(["switchyard.config.yaml", "switchyard.config.json"])("validates and resolves %s", async (name) => {
    const config = await loadConfigFile(join(examples, name));
    const providers = resolveProviders(config, { GPU_BOX_KEY: "k-gpu", OPENROUTER_API_KEY: "k-or" }, name);
    expect(providers.length).toBeGreaterThan(0);
  });
});

describe("config hot reload", () => {
  let directory: string;
  let first: ScriptedUpstream;
  let second: ScriptedUpstream;
  let gateway: TestGateway;
  let file: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "switchyard-reload-"));
    file = join(directory, "config.yaml");
    [first, second] = await Promise.all([startScriptedUpstream(), startScriptedUpstream()]);
    await writeFile(file, `providers:\n  box:\n    kind: vllm\n    baseUrl: ${first.baseUrl}\n`);
    const { createGateway } = await import("../../src/gateway/create-gateway.js");
    // startGateway does not watch; build the watched gateway directly, still on 127.0.0.1:0.
    const engine = await createGateway({ config: file, watchConfig: true, env: {} });
    const listening = await engine.listen({ host: "127.0.0.1", port: 0 });
    gateway = { gateway: engine, url: listening.url, baseUrl: `${listening.url}/v1`, close: () => engine.close({ timeoutMs: 500 }) };
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([first.close(), second.close()]);
    await rm(directory, { recursive: true, force: true });
  });

  async function chat(): Promise<Response> {
    return fetch(`${gateway.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "box/m", messages: [{ role: "user", content: "hi" }] }),
    });
  }

  it("routes to the new base URL after the file is replaced by an atomic rename, and again after a second save", async () => {
    expect((await chat()).status).toBe(200);
    expect(first.requests).toHaveLength(1);

    const staged = join(directory, "config.yaml.tmp");
    await writeFile(staged, `providers:\n  box:\n    kind: vllm\n    baseUrl: ${second.baseUrl}\n`);
    await rename(staged, file);
    await waitFor(async () => (await chat()).status === 200 && second.requests.length > 0);

    await writeFile(file, `providers:\n  box:\n    kind: vllm\n    baseUrl: ${first.baseUrl}\n`);
    const before = first.requests.length;
    await waitFor(async () => (await chat()).status === 200 && first.requests.length > before);
  });

  it("keeps serving with the previous configuration when the new file is invalid", async () => {
    await writeFile(file, "providers:\n  box:\n    kind: not-a-kind\n");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await chat()).status).toBe(200);
  });
});
