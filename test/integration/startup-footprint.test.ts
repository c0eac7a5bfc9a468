/**
 * What `switchyard serve` loads before it serves: undici's index must stay unloaded (only its pool,
 * connector and request helper are needed), and zod (~15 MB resident) must stay off the start-up
 * path of a gateway without saved routes or native Anthropic providers; it loads with the admin API,
 * the CLI, a config file, saved routes or the Anthropic translator (docs/performance.md). A module
 * hook in the child process reports every module it resolves.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServe } from "../support/serve-process.js";

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "switchyard-footprint-"));
  writeFileSync(
    join(work, "hooks.mjs"),
    `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  process.stderr.write("MODULE " + result.url + "\\n");
  return result;
}
`,
  );
  // CommonJS modules (undici's among them) bypass the resolve hook; the require cache lists them at exit.
  writeFileSync(
    join(work, "register.mjs"),
    `import { createRequire, register } from "node:module";
register(${JSON.stringify(pathToFileURL(join(work, "hooks.mjs")).href)});
const cache = createRequire(import.meta.url).cache;
process.on("exit", () => { for (const path of Object.keys(cache)) process.stderr.write("CJS " + path + "\\n"); });
`,
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("serve start-up", () => {
  it("serves /v1 traffic without loading zod", async () => {
    const serve = await startServe({
      home: work,
      dataDir: join(work, "data"),
      env: { NODE_OPTIONS: `--import ${pathToFileURL(join(work, "register.mjs")).href}`, OLLAMA_BASE_URL: "http://127.0.0.1:9/v1" },
    });
    try {
      const health = await fetch(`${serve.url}/health`);
      expect(health.status).toBe(200);
      const chat = await fetch(`${serve.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "nope/x", messages: [] }) });
      expect(chat.status).toBe(404);
      const modules = serve.output().split("\n").filter((line) => line.startsWith("MODULE "));
      // The hook saw the gateway's own modules, so an empty zod list is not an empty trace.
      expect(modules.some((line) => line.includes("/dist/gateway/create-gateway.js"))).toBe(true);
      expect(modules.filter((line) => line.includes("/node_modules/zod/"))).toEqual([]);
    } finally {
      await serve.stop();
    }
    // undici's index (fetch, WebSocket, cache stores, mocks: ~9 MB resident) stays unloaded; its pool did the work.
    const required = serve.output().split("\n").filter((line) => line.startsWith("CJS "));
    expect(required.some((line) => line.includes("/node_modules/undici/lib/dispatcher/pool.js"))).toBe(true);
    expect(required.filter((line) => line.endsWith("/node_modules/undici/index.js"))).toEqual([]);
  });
});
