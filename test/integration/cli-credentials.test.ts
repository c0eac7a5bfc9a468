/**
 * @module test/integration/cli-credentials.test
 * The built `switchyard credentials|models|secrets` commands as users run them: child processes
 * with a clean environment, a fresh data directory, and a scripted upstream on 127.0.0.1 (the only
 * address any command here may reach). Keys go in through stdin and must never come back out:
 * every byte the suite captures is scanned for them at the end.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(REPO_ROOT, "dist", "main.js");

/** Secrets planted by the suite; none may ever appear in any output. */
const WORK_KEY = "sk-planted-work-0123456789abcdefWXYZ";
const DOWN_KEY = "sk-planted-down-9876543210fedcbaQRST";
const HEADER_SECRET = "attribution-secret-value-5566";
const ENV_GROQ_KEY = "gsk_planted_env_key_1122334455667788";
const WRONG_ENCRYPTION_KEY = "ab".repeat(32);
const NEW_PASSPHRASE = "rotate-to-this-passphrase-4711-zz";
const PLANTED = [WORK_KEY, DOWN_KEY, HEADER_SECRET, ENV_GROQ_KEY, WRONG_ENCRYPTION_KEY, NEW_PASSPHRASE];

let home: string;
let dataDir: string;
let upstream: ScriptedUpstream;
let closedPort: number;
/** Every stdout and stderr the suite saw, for the final leak scan. */
const captured: string[] = [];

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/main.js ...args` to completion with only PATH, HOME and SWITCHYARD_DATA_DIR set (plus `env`). */
function cli(args: readonly string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, SWITCHYARD_DATA_DIR: dataDir, ...options.env },
    stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  (child.stdout as Readable).on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  (child.stderr as Readable).on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  if (options.stdin !== undefined) (child.stdin as Writable).end(options.stdin);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      captured.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a `--json` command that must succeed and parses its stdout. */
async function cliJson<T>(args: readonly string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<T> {
  const result = await cli([...args, "--json"], options);
  expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface CredentialJson {
  id: string;
  name: string;
  base_url: string | null;
  has_api_key: boolean;
  api_key_mask: string | null;
  header_names: string[];
  enabled: boolean;
  priority: number;
  secrets_error: string | null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Authorization headers the upstream received on `path` since request number `from`. */
function authorizationsSince(from: number, path: string): (string | undefined)[] {
  return upstream.requests.slice(from).filter((request) => request.path === path).map((request) => request.headers.authorization);
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "switchyard-cli-credentials-"));
  dataDir = join(home, "data");
  upstream = await startScriptedUpstream({ models: ["scripted-chat", "scripted-embed"] });
  closedPort = await freePort();
});

afterAll(async () => {
  await upstream?.close();
  rmSync(home, { recursive: true, force: true });
});

describe("switchyard credentials, models and secrets commands", () => {
  it("adds credentials with the key from stdin or a flag, and prints only masks", async () => {
    const work = await cliJson<CredentialJson>(["credentials", "add", "--name", "work", "--kind", "openai", "--base-url", upstream.baseUrl, "--api-key-stdin", "--header", `X-Title=${HEADER_SECRET}`], {
      stdin: `${WORK_KEY}\n`,
    });
    expect(work).toMatchObject({ name: "work", has_api_key: true, api_key_mask: "sk-…WXYZ", header_names: ["X-Title"], secrets_error: null });

    const down = await cli(["credentials", "add", "--name", "down", "--kind", "openai-compat", "--base-url", `http://127.0.0.1:${closedPort}/v1`, "--api-key", DOWN_KEY, "--priority", "3"]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain("Added credential 'down' (openai-compat, key sk-…QRST)");

    const list = await cli(["credentials", "list"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+KIND\s+ENABLED\s+KEY\s+BASE URL\s+LAST TEST$/m);
    expect(list.stdout).toMatch(/^work\s+openai\s+yes\s+sk-…WXYZ\s+http:\/\/127\.0\.0\.1:\d+\/v1\s+never$/m);

    const show = await cli(["credentials", "show", "work"]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^API key:\s+sk-…WXYZ$/m);
    expect(show.stdout).toMatch(/^headers:\s+X-Title \(values hidden\)$/m);
    const byId = await cliJson<CredentialJson>(["credentials", "show", work.id]);
    expect(byId.name).toBe("work");
  });

  it("refuses bad input with exit code 2 and one line naming the flag", async () => {
    const missing = await cli(["credentials", "add", "--name", "x"]);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toBe("switchyard: --kind is required.\n");

    const kind = await cli(["credentials", "add", "--name", "x", "--kind", "nope"]);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/^switchyard: --kind: .*openai/);

    const url = await cli(["credentials", "add", "--name", "x", "--kind", "vllm", "--base-url", "ftp://127.0.0.1/v1"]);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain("--base-url: must be an http:// or https:// URL");

    const service = await cli(["credentials", "add", "--name", "x", "--kind", "vllm", "--service-url", "video=http://127.0.0.1:1/v1"]);
    expect(service.code).toBe(2);
    expect(service.stderr).toContain("unknown service 'video'");

    const both = await cli(["credentials", "add", "--name", "x", "--kind", "vllm", "--api-key", DOWN_KEY, "--api-key-stdin"], { stdin: WORK_KEY });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--api-key and --api-key-stdin cannot be used together");

    const duplicate = await cli(["credentials", "add", "--name", "work", "--kind", "vllm"]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/^switchyard: .*work/);
    expect(duplicate.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("tests a connection: ok, rejected key, and nothing listening", async () => {
    const before = upstream.requests.length;
    const ok = await cli(["credentials", "test", "work"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: Connected to .* it lists 2 models\.$/m);
    expect(authorizationsSince(before, "/v1/models")).toEqual([`Bearer ${WORK_KEY}`]);
    expect(upstream.requests.at(-1)?.headers["x-title"]).toBe(HEADER_SECRET);

    upstream.script("/v1/models", { type: "json", status: 401, body: { error: { message: "Incorrect API key provided.", type: "invalid_request_error", param: null, code: "invalid_api_key" } } });
    const rejected = await cli(["credentials", "test", "work"]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/^switchyard: the test of 'work' failed \(HTTP 401\): .*rejected the API key/);

    const refused = await cli(["credentials", "test", "down", "--json"]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, code: "refused" });
    expect(refused.stderr).toContain("Nothing is listening");

    const shown = await cliJson<{ last_test: { ok: boolean } }>(["credentials", "show", "down"]);
    expect(shown.last_test.ok).toBe(false);
  });

  it("discovers models, filtered by type", async () => {
    const all = await cliJson<{ data: { id: string; type: string; registered: boolean }[] }>(["credentials", "discover", "work"]);
    expect(all.data.map(({ id, type, registered }) => ({ id, type, registered }))).toEqual([
      { id: "scripted-chat", type: "chat", registered: false },
      { id: "scripted-embed", type: "embedding", registered: false },
    ]);
    const embeddings = await cli(["credentials", "discover", "work", "--type", "embedding"]);
    expect(embeddings.code, embeddings.stderr).toBe(0);
    expect(embeddings.stdout).toMatch(/^scripted-embed\s+embedding\s+no/m);
    expect(embeddings.stdout).not.toContain("scripted-chat ");

    const badType = await cli(["credentials", "discover", "work", "--type", "video"]);
    expect(badType.code).toBe(2);
  });

  // Seventeen CLI processes in a row: ~10 s on an idle 2-core machine, so more than the default timeout under load.
  it("registers all, a custom model, sets a default, tests and removes models", async () => {
    const all = await cliJson<{ registered: { id: string; type: string }[] }>(["models", "register", "work", "--all"]);
    expect(all.registered.map((model) => model.id).sort()).toEqual(["work/scripted-chat", "work/scripted-embed"]);
    const again = await cli(["models", "register", "work", "--all"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("skipped scripted-chat: already registered");

    const custom = await cli(["models", "register", "work", "--custom", "my-alias", "--upstream-model", "scripted-chat", "--type", "chat", "--display-name", "My alias"]);
    expect(custom.code, custom.stderr).toBe(0);
    expect(custom.stdout).toMatch(/^work\/my-alias\s+chat\s+scripted-chat$/m);

    const notOffered = await cli(["models", "register", "work", "no-such-model"]);
    expect(notOffered.code).toBe(1);
    expect(notOffered.stderr).toMatch(/^switchyard: 'no-such-model' not registered: not offered by the provider/);

    const stray = await cli(["models", "register", "work", "--type", "chat"]);
    expect(stray.code).toBe(2);

    expect(await cliJson(["models", "default", "chat", "work/scripted-chat"])).toEqual({ chat: "work/scripted-chat" });
    expect(await cliJson(["models", "default"])).toEqual({ chat: "work/scripted-chat" });
    const defaults = await cli(["models", "default"]);
    expect(defaults.stdout).toMatch(/^chat\s+work\/scripted-chat$/m);
    expect(defaults.stdout).toMatch(/^embedding\s+\(none\)$/m);
    expect((await cli(["models", "default", "video", "work/scripted-chat"])).code).toBe(2);
    const unknownModel = await cli(["models", "default", "chat", "work/nope"]);
    expect(unknownModel.code).toBe(1);
    expect(unknownModel.stderr).toContain("No registered model has the id 'work/nope'");

    const list = await cliJson<{ data: { id: string }[]; defaults: Record<string, string> }>(["models", "list"]);
    expect(list.data.map((model) => model.id).sort()).toEqual(["work/my-alias", "work/scripted-chat", "work/scripted-embed"]);
    const table = await cli(["models", "list"]);
    expect(table.stdout).toMatch(/^work\/scripted-chat\s+chat\s+work\s+scripted-chat\s+chat$/m);

    const before = upstream.requests.length;
    const tested = await cli(["models", "test", "work/my-alias"]);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/^ok: The model answered in \d+ ms\.$/m);
    const sent = upstream.requests.slice(before).find((request) => request.path === "/v1/chat/completions");
    expect(sent?.json()).toMatchObject({ model: "scripted-chat" });
    expect(sent?.headers.authorization).toBe(`Bearer ${WORK_KEY}`);

    upstream.script("/v1/chat/completions", { type: "json", status: 404, body: { error: { message: "The model does not exist.", type: "invalid_request_error", param: "model", code: "model_not_found" } } });
    const failed = await cli(["models", "test", "work/scripted-chat"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^switchyard: the test of 'work\/scripted-chat' failed \(HTTP 404\): .*does not exist/);

    const removed = await cli(["models", "remove", "work/my-alias"]);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await cli(["models", "remove", "work/my-alias"])).code).toBe(1);
  }, 60_000);

  it("updates a credential, refusing a new base URL without the key", async () => {
    const moved = await cli(["credentials", "update", "work", "--base-url", `http://127.0.0.1:${closedPort}/v1`]);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/^switchyard: Changing the base URL requires entering the API key again/);
    expect(moved.stderr.trim().split("\n")).toHaveLength(1);
    expect((await cliJson<CredentialJson>(["credentials", "show", "work"])).base_url).toBe(upstream.baseUrl);

    const nothing = await cli(["credentials", "update", "work"]);
    expect(nothing.code).toBe(2);

    const changed = await cliJson<CredentialJson>(["credentials", "update", "down", "--disabled", "--priority", "7", "--clear-api-key"]);
    expect(changed).toMatchObject({ enabled: false, priority: 7, has_api_key: false });
    const rekeyed = await cliJson<CredentialJson>(["credentials", "update", "down", "--enabled", "--base-url", `http://127.0.0.1:${closedPort}/api/v1`, "--api-key-stdin"], { stdin: DOWN_KEY });
    expect(rekeyed).toMatchObject({ enabled: true, has_api_key: true, api_key_mask: "sk-…QRST", base_url: `http://127.0.0.1:${closedPort}/api/v1` });
  });

  it("removes a credential only with confirmation", async () => {
    const refused = await cli(["credentials", "remove", "down"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^switchyard: Refusing to remove credential 'down' .*--yes\.\n$/);
    expect((await cli(["credentials", "show", "down"])).code).toBe(0);

    const removed = await cli(["credentials", "remove", "down", "--yes"]);
    expect(removed.code, removed.stderr).toBe(0);
    const gone = await cli(["credentials", "show", "down"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe("switchyard: No credential is named or has the id 'down'.\n");
  });

  it("lists and imports provider settings from the environment, once", async () => {
    const env = { GROQ_API_KEY: ENV_GROQ_KEY, OLLAMA_BASE_URL: upstream.baseUrl };
    const status = await cliJson<{ data: { name: string; variables: string[]; api_key_mask: string | null; already_stored: boolean }[] }>(["credentials", "env-status"], { env });
    expect(status.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "groq", variables: ["GROQ_API_KEY"], api_key_mask: "gsk…7788", already_stored: false }),
        expect.objectContaining({ name: "ollama", variables: ["OLLAMA_BASE_URL"], api_key_mask: null, already_stored: false }),
      ]),
    );

    const first = await cli(["credentials", "migrate-env"], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^groq\s+imported/m);
    expect(first.stdout).toContain("2 imported, 0 already present, 0 failed.");

    const second = await cliJson<{ results: { name: string; status: string }[] }>(["credentials", "migrate-env"], { env });
    expect(second.results.map(({ name, status }) => ({ name, status })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "groq", status: "already_present" },
      { name: "ollama", status: "already_present" },
    ]);
    const groq = await cliJson<CredentialJson>(["credentials", "show", "groq"]);
    expect(groq).toMatchObject({ kind: "groq", has_api_key: true, api_key_mask: "gsk…7788" });
  });

  it("status shows stored values with source 'store', the store and the key state", async () => {
    interface StatusJson {
      store: { dialect: string; location: string } | null;
      encryption: { status: string; source?: string; key_file?: string } | null;
      providers: { prefix: string; base_url: string; base_url_source: string; api_key: string; api_key_source: string; unavailable: string | null }[];
    }
    const status = await cliJson<StatusJson>(["status"]);
    expect(status.store).toEqual({ dialect: "sqlite", location: join(dataDir, "switchyard.db") });
    expect(status.encryption).toMatchObject({ status: "ok", source: "file", key_file: join(dataDir, "encryption.key") });
    expect(status.providers.find((provider) => provider.prefix === "work/")).toMatchObject({
      base_url: upstream.baseUrl,
      base_url_source: "store",
      api_key: "sk-…WXYZ",
      api_key_source: "store",
      unavailable: null,
    });
    // The imported ollama credential stores a base URL but no key: the key still comes from the default.
    expect(status.providers.find((provider) => provider.prefix === "ollama/")).toMatchObject({ base_url_source: "store", api_key_source: "default" });
    const human = await cli(["status"]);
    expect(human.stdout).toContain("base URL from store: stored credential 'work'");
    expect(human.stdout).toMatch(/^encryption: ok, key \S+ from .*encryption\.key$/m);
  });

  it("a wrong encryption key marks secrets unreadable, names the fix, and loses nothing", async () => {
    const wrong = { SWITCHYARD_ENCRYPTION_KEY: WRONG_ENCRYPTION_KEY };
    const list = await cli(["credentials", "list", "--json"], { env: wrong });
    expect(list.code).toBe(1);
    const views = (JSON.parse(list.stdout) as { data: CredentialJson[] }).data;
    expect(views.find((view) => view.name === "work")).toMatchObject({ has_api_key: true, api_key_mask: null });
    expect(views.find((view) => view.name === "work")?.secrets_error).toContain("SWITCHYARD_ENCRYPTION_KEY");
    expect(list.stderr).toMatch(/^switchyard: the secrets of .*'work'.* cannot be read: .*Set SWITCHYARD_ENCRYPTION_KEY back to the original key.*Nothing stored has been changed\.\n$/);

    const show = await cli(["credentials", "show", "work"], { env: wrong });
    expect(show.code).toBe(1);
    expect(show.stdout).toMatch(/^API key:\s+unreadable$/m);

    const test = await cli(["credentials", "test", "work"], { env: wrong });
    expect(test.code).toBe(1);
    expect(test.stderr).toContain("SWITCHYARD_ENCRYPTION_KEY");

    const add = await cli(["credentials", "add", "--name", "during-wrong-key", "--kind", "openai", "--base-url", upstream.baseUrl, "--api-key-stdin"], { env: wrong, stdin: WORK_KEY });
    expect(add.code).toBe(1);
    expect(add.stderr).toContain("SWITCHYARD_ENCRYPTION_KEY");

    const back = await cliJson<{ data: CredentialJson[] }>(["credentials", "list"]);
    expect(back.data.map((view) => view.name).sort()).toEqual(["groq", "ollama", "work"]);
    expect(back.data.find((view) => view.name === "work")).toMatchObject({ api_key_mask: "sk-…WXYZ", secrets_error: null });
  });

  it("rotates the generated key file; everything still decrypts", async () => {
    const keyFile = join(dataDir, "encryption.key");
    const oldKey = readFileSync(keyFile, "utf8");
    const rotated = await cli(["secrets", "rotate-key"]);
    expect(rotated.code, rotated.stderr).toBe(0);
    // work: API key + headers; groq: API key; ollama: nothing secret.
    expect(rotated.stdout).toMatch(/^Rotated the encryption key: \S+ -> \S+\.$/m);
    expect(rotated.stdout).toContain("Re-encrypted 3 secrets in 2 credentials.");
    expect(rotated.stdout).toContain(`The new key is in ${keyFile}`);
    expect(readFileSync(keyFile, "utf8")).not.toBe(oldKey);

    const list = await cli(["credentials", "list"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("sk-…WXYZ");
    const before = upstream.requests.length;
    expect((await cli(["credentials", "test", "work"])).code).toBe(0);
    expect(authorizationsSince(before, "/v1/models")).toEqual([`Bearer ${WORK_KEY}`]);
    expect(upstream.requests.at(-1)?.headers["x-title"]).toBe(HEADER_SECRET);
  });

  it("rotates to a key from stdin and says SWITCHYARD_ENCRYPTION_KEY must now be set", async () => {
    const rotated = await cli(["secrets", "rotate-key", "--new-key-stdin"], { stdin: `${NEW_PASSPHRASE}\n` });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain("Re-encrypted 3 secrets in 2 credentials.");
    expect(rotated.stdout).toContain("Set SWITCHYARD_ENCRYPTION_KEY to the new key");

    const withoutVariable = await cli(["credentials", "list"]);
    expect(withoutVariable.code).toBe(1);
    expect(withoutVariable.stderr).toContain("SWITCHYARD_ENCRYPTION_KEY");

    const env = { SWITCHYARD_ENCRYPTION_KEY: NEW_PASSPHRASE };
    const list = await cli(["credentials", "list"], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("sk-…WXYZ");
    const status = await cliJson<{ encryption: { status: string; source: string } }>(["status"], { env });
    expect(status.encryption).toMatchObject({ status: "ok", source: "passphrase" });

    const fromEnvWithoutNewKey = await cli(["secrets", "rotate-key"], { env });
    expect(fromEnvWithoutNewKey.code).toBe(1);
    expect(fromEnvWithoutNewKey.stderr).toMatch(/^switchyard: The current key comes from SWITCHYARD_ENCRYPTION_KEY/);
  });

  it("never printed a planted key, in any output of the suite", () => {
    expect(captured.length).toBeGreaterThan(40);
    const all = captured.join("\n");
    for (const secret of PLANTED) expect(all.includes(secret), `a planted secret (…${secret.slice(-4)}) appeared in CLI output`).toBe(false);
  });
});
