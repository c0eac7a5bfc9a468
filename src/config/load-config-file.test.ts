/**
 * @module config/load-config-file.test
 * Config files are validated strictly, and every problem names the file, the path inside it and
 * the reason. The committed JSON Schema is the one generated from the zod schema.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configJsonSchema } from "./config-schema.js";
import { ConfigError, loadConfigFile, parseConfig, parseConfigText } from "./load-config-file.js";
import { resolveProviders } from "./resolve-providers.js";

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "switchyard-config-test-"));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function writeConfig(name: string, text: string): string {
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
}

/** Runs `action`, expecting a ConfigError, and returns it. */
async function configErrorFrom(action: () => unknown): Promise<ConfigError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}

describe("loadConfigFile: valid files", () => {
  it("loads a YAML file with providers, timeouts and models", async () => {
    const file = writeConfig(
      "good.yaml",
      [
        "timeouts:",
        "  firstByteMs: 5000",
        "providers:",
        "  gpu-box:",
        "    kind: vllm",
        "    baseUrl: http://127.0.0.1:8001/v1",
        "    apiKey: env:GPU_BOX_KEY",
        "    timeouts:",
        "      idleMs: 250",
        "models:",
        "  gpu-box/llama:",
        "    upstreamModel: meta-llama/Llama-3.1-8B-Instruct",
        "    capabilities: [tools, streaming]",
        "",
      ].join("\n"),
    );
    const config = await loadConfigFile(file);
    expect(config.providers?.["gpu-box"]).toMatchObject({ kind: "vllm", baseUrl: "http://127.0.0.1:8001/v1", apiKey: "env:GPU_BOX_KEY" });
    expect(config.models?.["gpu-box/llama"]?.upstreamModel).toBe("meta-llama/Llama-3.1-8B-Instruct");
  });

  it("loads a JSON file with a $schema reference", async () => {
    const file = writeConfig("good.json", JSON.stringify({ $schema: "./schema.json", providers: { local: { kind: "ollama" } } }));
    const config = await loadConfigFile(file);
    expect(config.providers?.["local"]?.kind).toBe("ollama");
  });

  it("treats an empty YAML file as an empty config", async () => {
    expect(await loadConfigFile(writeConfig("empty.yaml", ""))).toEqual({});
  });
});

describe("loadConfigFile: errors name file, path and reason", () => {
  it("rejects an unknown (misspelt) key, naming its path", async () => {
    const file = writeConfig("unknown-key.yaml", "providers:\n  local:\n    kind: vllm\n    baseurl: http://127.0.0.1:8000/v1\n");
    const error = await configErrorFrom(() => loadConfigFile(file));
    expect(error.file).toBe(file);
    expect(error.message).toContain(file);
    expect(error.problems).toEqual(["providers.local: unknown key 'baseurl'"]);
  });

  it("rejects an unknown top-level key", async () => {
    const error = await configErrorFrom(() => parseConfigText("provider:\n  x: 1\n", "top.yaml"));
    expect(error.problems).toEqual(["(top level): unknown key 'provider'"]);
  });

  it("rejects a base URL that is not an http(s) URL", async () => {
    for (const url of ["not a url", "ftp://127.0.0.1/v1"]) {
      const error = await configErrorFrom(() => parseConfigText(`providers:\n  local:\n    kind: vllm\n    baseUrl: "${url}"\n`, "bad-url.yaml"));
      expect(error.message).toContain("bad-url.yaml");
      expect(error.problems).toEqual(["providers.local.baseUrl: must be an http:// or https:// URL"]);
    }
  });

  it("rejects an unknown provider kind, listing the valid ones", async () => {
    const error = await configErrorFrom(() => parseConfigText("providers:\n  local:\n    kind: vlm\n", "bad-kind.yaml"));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^providers\.local\.kind: /);
    expect(error.problems[0]).toContain('"vllm"');
  });

  it("rejects a wrongly typed value deep in the file", async () => {
    const error = await configErrorFrom(() => parseConfigText("providers:\n  local:\n    kind: vllm\n    timeouts:\n      idleMs: -5\n", "bad-ms.yaml"));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^providers\.local\.timeouts\.idleMs: /);
  });

  it("lists every problem, not only the first", async () => {
    const error = await configErrorFrom(() =>
      parseConfig({ server: { port: 70_000 }, providers: { a: { kind: "vllm", baseUrl: "nope" }, b: { kind: "ollama", colour: "red" } } }, "many.json"),
    );
    expect(error.problems).toHaveLength(3);
    expect(error.problems.join("\n")).toContain("server.port: ");
    expect(error.problems.join("\n")).toContain("providers.a.baseUrl: ");
    expect(error.problems.join("\n")).toContain("providers.b: unknown key 'colour'");
  });

  it("says why a provider name with '/' is refused", async () => {
    const error = await configErrorFrom(() => parseConfigText("providers:\n  my/box:\n    kind: vllm\n", "slash.yaml"));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain("my/box");
    // The schema's own explanation, not a generic "Invalid key in record".
    expect(error.problems[0]).toContain("no '/'");
  });

  it("reports YAML syntax errors with their line and column", async () => {
    const file = writeConfig("syntax.yaml", "server:\n  port: 4000\n bad: [\n");
    const error = await configErrorFrom(() => loadConfigFile(file));
    expect(error.file).toBe(file);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^line 3, column \d+: /);
  });

  it("reports JSON syntax errors in .json files", async () => {
    const file = writeConfig("syntax.json", '{"providers": {');
    const error = await configErrorFrom(() => loadConfigFile(file));
    expect(error.message).toContain(file);
    expect(error.problems[0]).toMatch(/^not valid JSON: /);
  });

  it("reports a missing file as not found", async () => {
    const file = join(directory, "does-not-exist.yaml");
    const error = await configErrorFrom(() => loadConfigFile(file));
    expect(error.file).toBe(file);
    expect(error.problems).toEqual(["file not found"]);
  });

  it("reports an env: key whose variable is unset when providers are resolved, naming file and path", async () => {
    const file = writeConfig("env-key.yaml", "providers:\n  gpu-box:\n    kind: vllm\n    apiKey: env:GPU_BOX_KEY_UNSET\n");
    const config = await loadConfigFile(file);
    const error = await configErrorFrom(() => resolveProviders(config, {}, file));
    expect(error.file).toBe(file);
    expect(error.message).toContain(file);
    expect(error.problems).toEqual(["providers.gpu-box.apiKey: environment variable GPU_BOX_KEY_UNSET is not set"]);
  });

  it("reports an unset env: key of a per-service entry with its full path", async () => {
    const config = await parseConfig({ providers: { tts: { kind: "openai-compat", services: { tts: { apiKey: "env:TTS_KEY_UNSET" } } } } });
    const error = await configErrorFrom(() => resolveProviders(config, {}, "svc.yaml"));
    expect(error.problems).toEqual(["providers.tts.services.tts.apiKey: environment variable TTS_KEY_UNSET is not set"]);
  });
});

describe("published JSON Schema", () => {
  it("equals configJsonSchema(), so the committed file cannot drift from the loader", () => {
    const schemaFile = fileURLToPath(new URL("../../schema/switchyard.config.schema.json", import.meta.url));
    const committed = JSON.parse(readFileSync(schemaFile, "utf8")) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });

  it("refuses unknown keys in the schema too (additionalProperties: false at the top)", () => {
    expect(configJsonSchema()["additionalProperties"]).toBe(false);
  });
});
