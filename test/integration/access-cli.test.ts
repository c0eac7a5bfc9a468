/**
 * @module test/integration/access-cli.test
 * The built `switchyard` command for inbound access, as users run it: `serve` refusing to listen
 * beyond loopback without an admin key (it must exit before opening a socket), `admin-key create`
 * printing a key once, `keys create|list|show|revoke`, and a running server on 127.0.0.1 picking
 * up keys created and revoked by the CLI. A generated key may appear only in the output that
 * created it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(REPO_ROOT, "dist", "main.js");

/** Every built-in local kind off, so `serve` asks no port on this machine at start-up. */
const CONFIG_YAML = ["providers:", ...["ollama", "lm_studio", "vllm", "llamacpp", "openai-compat"].map((name) => `  ${name}: { kind: ${name}, enabled: false }`), ""].join("\n");

let home: string;
const children = new Set<ChildProcess>();
/** Outputs that must not contain generated keys (everything but the output that created them). */
const otherOutputs: string[] = [];
const generated: string[] = [];

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnCli(args: readonly string[], env: Record<string, string>): { child: ChildProcess; result: Promise<Result>; stdout: () => string } {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  (child.stdout as Readable).on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  (child.stderr as Readable).on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const result = new Promise<Result>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, result, stdout: () => stdout };
}

/** Runs a command to its end; its stderr is always checked for keys, its stdout unless `creates` says it prints one. */
async function cli(args: readonly string[], env: Record<string, string>, options: { creates?: boolean } = {}): Promise<Result> {
  const result = await spawnCli(args, env).result;
  otherOutputs.push(result.stderr);
  if (options.creates !== true) otherOutputs.push(result.stdout);
  return result;
}

function dataDirEnv(): Record<string, string> {
  return { SWITCHYARD_DATA_DIR: mkdtempSync(join(home, "data-")) };
}

/** Polls until `check` passes or `timeoutMs` runs out (the server notices CLI changes by polling the store). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "switchyard-access-cli-"));
});

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(home, { recursive: true, force: true });
  for (const output of otherOutputs) for (const key of generated) expect(output).not.toContain(key);
});

describe("switchyard serve beyond loopback", () => {
  it("refuses --host 0.0.0.0 without an admin key: exit 1, one line saying how to set one, never listening", async () => {
    const { code, stdout, stderr } = await cli(["serve", "--host", "0.0.0.0", "--port", "0"], dataDirEnv());
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/listening/i);
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^switchyard: Refusing to listen on 0\.0\.0\.0 without an admin key: set SWITCHYARD_ADMIN_KEY .*'switchyard admin-key create'/);
  });

  it("refuses an admin key shorter than 32 characters with one line", async () => {
    const { code, stdout, stderr } = await cli(["serve", "--host", "0.0.0.0", "--port", "0"], { ...dataDirEnv(), SWITCHYARD_ADMIN_KEY: "too-short" });
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/listening/i);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/SWITCHYARD_ADMIN_KEY is too short \(9 characters\)/);
  });
});

describe("switchyard admin-key and keys", () => {
  let env: Record<string, string>;
  let adminKey: string;

  beforeAll(() => {
    env = dataDirEnv();
  });

  it("admin-key create prints a new key once and refuses to replace it without --replace", async () => {
    const created = await cli(["admin-key", "create"], env, { creates: true });
    expect(created.code).toBe(0);
    adminKey = /(sy-admin-[0-9A-Za-z]{43})/.exec(created.stdout)?.[1] ?? "";
    expect(adminKey).not.toBe("");
    generated.push(adminKey);
    const again = await cli(["admin-key", "create"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists\. Pass --replace/);
    const replaced = await cli(["admin-key", "create", "--replace", "--json"], env, { creates: true });
    expect(replaced.code).toBe(0);
    const body = JSON.parse(replaced.stdout) as { admin_key: string; replaced: boolean };
    expect(body.replaced).toBe(true);
    expect(body.admin_key).not.toBe(adminKey);
    generated.push(body.admin_key);
    adminKey = body.admin_key;
  });

  it("keys create prints the key once; list, show and revoke show only its prefix", async () => {
    const created = await cli(["keys", "create", "--name", "ci", "--model", "ollama/llama3", "--model", "groq/*", "--rpm", "60", "--expires-in", "30d", "--json"], env, { creates: true });
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; key: string; key_prefix: string; models: string[]; rpm: number; expires_at: string; status: string };
    generated.push(key.key);
    expect(key).toMatchObject({ models: ["ollama/llama3", "groq/*"], rpm: 60, status: "active" });
    expect(Date.parse(key.expires_at) - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const listed = await cli(["keys", "list"], env);
    expect(listed.stdout).toContain(key.key_prefix);
    expect(listed.stdout).toMatch(/ci\s+sk-sy-\w{4}…\s+active\s+ollama\/llama3,groq\/\*\s+60/);
    const json = JSON.parse((await cli(["keys", "list", "--json"], env)).stdout) as { data: { id: string }[] };
    expect(json.data.map((entry) => entry.id)).toEqual([key.id]);
    expect((await cli(["keys", "show", key.id], env)).stdout).toMatch(/status:\s+active/);

    const revoked = await cli(["keys", "revoke", key.id], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked gateway key 'ci'/);
    expect((await cli(["keys", "show", key.id, "--json"], env)).stdout).toContain('"status": "revoked"');
  });

  it("exits 2 naming the flag for a bad flag value, and 1 for an unknown key", async () => {
    const bad = await cli(["keys", "create", "--name", "x", "--rpm", "lots"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--rpm/);
    expect((await cli(["keys", "create"], env)).code).toBe(2);
    expect((await cli(["keys", "create", "--name", "x", "--expires-in", "soon"], env)).code).toBe(2);
    const unknown = await cli(["keys", "revoke", "no-such-id"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("a running server on 127.0.0.1 uses the generated admin key, and picks up keys the CLI creates and revokes", async () => {
    const configFile = join(env["SWITCHYARD_DATA_DIR"] ?? "", "config.yaml");
    writeFileSync(configFile, CONFIG_YAML);
    const server = spawnCli(["serve", "--host", "127.0.0.1", "--port", "0"], env);
    await eventually(async () => /listening on http:\/\/127\.0\.0\.1:\d+/.test(server.stdout()));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.stdout())?.[1] ?? "";

    const status = (authorization?: string): Promise<number> =>
      fetch(`${url}/api/status`, authorization === undefined ? {} : { headers: { authorization } }).then((response) => response.status);
    expect(await status()).toBe(401);
    expect(await status(`Bearer ${adminKey}`)).toBe(200);
    expect(await status(`Bearer ${generated[0] ?? ""}`)).toBe(401);

    const models = (authorization?: string): Promise<number> =>
      fetch(`${url}/v1/models`, authorization === undefined ? {} : { headers: { authorization } }).then((response) => response.status);
    // The only key so far is revoked, so /v1 is open.
    expect(await models()).toBe(200);
    const create = async (name: string): Promise<{ id: string; key: string }> => {
      const created = JSON.parse((await cli(["keys", "create", "--name", name, "--json"], env, { creates: true })).stdout) as { id: string; key: string };
      generated.push(created.key);
      return created;
    };
    const keeper = await create("keeper");
    const doomed = await create("doomed");
    // Two CLI writes: the server may see the first before the second.
    await eventually(async () => (await models()) === 401 && (await models(`Bearer ${doomed.key}`)) === 200);
    expect(await models(`Bearer ${keeper.key}`)).toBe(200);
    await cli(["keys", "revoke", doomed.id], env);
    await eventually(async () => (await models(`Bearer ${doomed.key}`)) === 401);
    expect(await models(`Bearer ${keeper.key}`)).toBe(200);

    server.child.kill("SIGTERM");
    const stopped = await server.result;
    otherOutputs.push(stopped.stdout, stopped.stderr);
    expect(stopped.code).toBe(0);
  });
});
