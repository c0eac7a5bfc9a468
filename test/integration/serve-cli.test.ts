/**
 * @module test/integration/serve-cli.test
 * The built `switchyard` command as users run it: a child process with a clean environment.
 * `serve` announces its URL and where each provider's base URL came from, serves requests, and
 * shuts down gracefully on SIGTERM; the other commands exit with the documented codes and never
 * print a key in full.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { sseData, startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(REPO_ROOT, "dist", "main.js");
const SSE_HEADERS = { "content-type": "text/event-stream" } as const;
const CHAT_PATH = "/v1/chat/completions";

let home: string;
let upstream: ScriptedUpstream;
let closedPort: number;
const children = new Set<ChildProcess>();

interface CliRun {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Settles when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node dist/main.js ...args` with exactly `env` (plus PATH and HOME). */
function runCli(args: readonly string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  (child.stdout as Readable).on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    for (const listener of listeners) listener();
  });
  (child.stderr as Readable).on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("close", (code, signal) => {
      children.delete(child);
      for (const listener of listeners) listener();
      resolve({ code, signal });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForLine(pattern, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const line = stdout.split("\n").find((candidate) => pattern.test(candidate));
          if (line !== undefined) {
            finish();
            resolve(line);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(new Error(`process exited before printing ${String(pattern)}; stdout: ${stdout}; stderr: ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`timed out waiting for ${String(pattern)}; stdout: ${stdout}; stderr: ${stderr}`));
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs a short command to completion. */
async function runToExit(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = runCli(args, env);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Points every local kind somewhere on loopback, so nothing reaches other ports of this machine. */
function serveEnv(): Record<string, string> {
  const nowhere = `http://127.0.0.1:${closedPort}/v1`;
  return {
    VLLM_BASE_URL: upstream.baseUrl,
    OLLAMA_BASE_URL: nowhere,
    LMSTUDIO_BASE_URL: nowhere,
    LLAMACPP_BASE_URL: nowhere,
    OPENAI_COMPAT_BASE_URL: nowhere,
  };
}

/** Starts `switchyard serve` on an OS-chosen port and resolves once it prints its URL. */
async function startServe(extraArgs: readonly string[] = []): Promise<{ run: CliRun; url: string; port: number }> {
  const dataDir = mkdtempSync(join(home, "data-"));
  const run = runCli(["serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir, ...extraArgs], serveEnv());
  const line = await run.waitForLine(/listening on/);
  const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(line);
  if (match?.[1] === undefined || match[2] === undefined) throw new Error(`no URL in ${line}`);
  return { run, url: match[1], port: Number(match[2]) };
}

/** Resolves with the socket error code of a fresh TCP connection attempt, or "connected". */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

/** Polls until a fresh connection to `port` is refused; false if it is still accepted after `timeoutMs`. */
async function refusedWithin(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await tryConnect(port)) === "ECONNREFUSED") return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

function contentEvent(content: string): string {
  return sseData({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] });
}

function streamChat(url: string) {
  return request(`${url}${CHAT_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "vllm/scripted-chat", stream: true, messages: [{ role: "user", content: "hi" }] }),
  });
}

/** Collects a body; `firstChunk` resolves with the first bytes, `done` once it ends or fails. */
function collect(body: Readable): { text: () => string; firstChunk: Promise<string>; done: Promise<"end" | "error"> } {
  let text = "";
  let markFirst: (value: string) => void = () => undefined;
  const firstChunk = new Promise<string>((resolve) => (markFirst = resolve));
  body.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
    markFirst(text);
  });
  const done = new Promise<"end" | "error">((resolve) => {
    body.once("end", () => resolve("end"));
    body.once("error", () => resolve("error"));
  });
  return { text: () => text, firstChunk, done };
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "switchyard-cli-test-"));
  upstream = await startScriptedUpstream();
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
});

afterAll(async () => {
  await upstream?.close();
  rmSync(home, { recursive: true, force: true });
});

describe("switchyard serve", () => {
  it("prints its URL first, lists providers with where their base URL came from, and serves chat", async () => {
    const { run, url } = await startServe();
    expect(run.stdout().split("\n")[0]).toMatch(/^Switchyard .* listening on http:\/\/127\.0\.0\.1:\d+ /);
    const vllmLine = await run.waitForLine(/^\s+vllm\//);
    expect(vllmLine).toContain(upstream.baseUrl);
    expect(vllmLine).toContain("env (VLLM_BASE_URL)");

    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "client-key", maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: "vllm/scripted-chat", messages: [{ role: "user", content: "ping through the CLI" }] });
    expect(completion.choices[0]?.message.content).toBe("ping through the CLI");
    const received = upstream.requests.at(-1);
    expect(received?.path).toBe(CHAT_PATH);
    expect((received?.json() as { model?: string } | undefined)?.model).toBe("scripted-chat");

    run.child.kill("SIGTERM");
    expect((await run.exited).code).toBe(0);
  });

  it("on SIGTERM refuses new connections but lets an in-flight stream finish, then exits 0", async () => {
    const { run, url, port } = await startServe();
    upstream.script(CHAT_PATH, { type: "controlled" });
    const pending = streamChat(url);
    const { response: upstreamResponse } = await upstream.nextControlled();
    upstreamResponse.writeHead(200, SSE_HEADERS);
    upstreamResponse.write(contentEvent("before"));
    const response = await pending;
    const body = collect(response.body);
    expect(await body.firstChunk).toBe(contentEvent("before"));

    run.child.kill("SIGTERM");
    await run.waitForLine(/Received SIGTERM/);
    // The banner line is written just before the listener closes; allow the process a moment to get there.
    expect(await refusedWithin(port, 1_000)).toBe(true);
    expect(await tryConnect(port)).toBe("ECONNREFUSED");

    // The stream under way still completes.
    upstreamResponse.write(contentEvent(" after"));
    upstreamResponse.end(sseData("[DONE]"));
    expect(await body.done).toBe("end");
    expect(body.text()).toBe(contentEvent("before") + contentEvent(" after") + sseData("[DONE]"));
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.stdout()).toContain("Switchyard stopped.");
  });

  it("with --shutdown-timeout ends a stream that never finishes and exits within about 2 s", async () => {
    const { run, url } = await startServe(["--shutdown-timeout", "300"]);
    upstream.script(CHAT_PATH, { type: "stall", chunks: [contentEvent("forever")] });
    const response = await streamChat(url);
    const body = collect(response.body);
    await body.firstChunk;

    const signalled = Date.now();
    run.child.kill("SIGTERM");
    const ended = await body.done;
    const { code } = await run.exited;
    expect(Date.now() - signalled).toBeLessThan(2_000);
    expect(code).toBe(0);
    expect(body.text()).not.toContain("[DONE]");
    if (ended === "end") {
      // A clean end must carry an error event, so the client never mistakes the cut for a finish.
      expect(body.text()).toMatch(/data: \{"error":\{.*"code":"shutting_down"/);
    }
  });

  it("refuses a malformed --port with exit code 2 and one line on stderr", async () => {
    const { code, stderr } = await runToExit(["serve", "--port", "eighty", "--data-dir", join(home, "never")]);
    expect(code).toBe(2);
    expect(stderr).toContain("--port");
  });
});

describe("switchyard commands", () => {
  it("prints help and exits 0 for --help", async () => {
    const { code, stdout } = await runToExit(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: switchyard <command>");
    expect(stdout).toContain("serve");
  });

  it("exits 2 with exactly one line on stderr for an unknown command", async () => {
    const { code, stdout, stderr } = await runToExit(["frobnicate"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("frobnicate");
  });

  it("validates a good config file with exit 0, as text and as JSON", async () => {
    const file = join(home, "good.yaml");
    writeFileSync(file, "providers:\n  gpu-box:\n    kind: vllm\n    baseUrl: http://127.0.0.1:8001/v1\nmodels:\n  gpu-box/llama:\n    displayName: Llama\n");
    const text = await runToExit(["config", "validate", file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(file);
    expect(text.stdout).toContain("valid");
    const json = await runToExit(["config", "validate", file, "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ file, valid: true, providers: 1, models: 1 });
  });

  it("rejects a bad config file with exit 1 naming file, path and reason, as text and as JSON", async () => {
    const file = join(home, "bad.yaml");
    writeFileSync(file, "providers:\n  gpu-box:\n    kind: vllm\n    baseurl: http://127.0.0.1:8001/v1\n");
    const text = await runToExit(["config", "validate", file]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(file);
    expect(text.stderr).toContain("providers.gpu-box");
    expect(text.stderr).toContain("unknown key 'baseurl'");
    const json = await runToExit(["config", "validate", file, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ file, valid: false, problems: ["providers.gpu-box: unknown key 'baseurl'"] });
  });

  it("rejects a config whose env: key variable is unset, naming the variable", async () => {
    const file = join(home, "env-key.yaml");
    writeFileSync(file, "providers:\n  gpu-box:\n    kind: vllm\n    apiKey: env:GPU_BOX_KEY\n");
    const result = await runToExit(["config", "validate", file, "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: false, problems: ["providers.gpu-box.apiKey: environment variable GPU_BOX_KEY is not set"] });
    expect((await runToExit(["config", "validate", file], { GPU_BOX_KEY: "k-1234" })).code).toBe(0);
  });

  it("prints the config JSON Schema, the same as the committed file", async () => {
    const { code, stdout } = await runToExit(["config", "schema"]);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as Record<string, unknown>;
    expect(printed["title"]).toBe("Switchyard configuration");
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, "schema", "switchyard.config.schema.json"), "utf8")) as unknown;
    expect(printed).toEqual(committed);
  });

  it("shows in status --json where each value came from, with keys masked", async () => {
    const key = "sk-test-abcdefghijklmnop1234";
    const { code, stdout, stderr } = await runToExit(["status", "--json"], { OPENAI_API_KEY: key, VLLM_BASE_URL: "http://127.0.0.1:8123/v1" });
    expect(code).toBe(0);
    expect(stdout).not.toContain(key);
    expect(stderr).not.toContain(key);
    const status = JSON.parse(stdout) as { providers: Array<{ prefix: string; base_url: string; base_url_from: string; api_key: string; api_key_from: string }> };
    const openai = status.providers.find((provider) => provider.prefix === "openai/");
    expect(openai).toMatchObject({ base_url_from: "default: openai default", api_key_from: "env: OPENAI_API_KEY" });
    expect(openai?.api_key).toMatch(/…1234$/);
    expect(openai?.api_key.length).toBeLessThan(key.length);
    const vllm = status.providers.find((provider) => provider.prefix === "vllm/");
    expect(vllm).toMatchObject({ base_url: "http://127.0.0.1:8123/v1", base_url_from: "env: VLLM_BASE_URL" });
  });

  it("never prints the full key in the human status table either", async () => {
    const key = "sk-test-abcdefghijklmnop1234";
    const { code, stdout } = await runToExit(["status"], { OPENAI_API_KEY: key });
    expect(code).toBe(0);
    expect(stdout).not.toContain(key);
    expect(stdout).toContain("OPENAI_API_KEY");
  });
});

describe("serve start-up failures", () => {
  it("exits 1 with one clear line when the port is already in use", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as AddressInfo).port;
    const dataDir = mkdtempSync(join(tmpdir(), "switchyard-port-"));
    try {
      const { code, stderr } = await runToExit(["serve", "--port", String(port), "--host", "127.0.0.1", "--data-dir", dataDir], serveEnv());
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(`switchyard: Port ${port} on 127.0.0.1 is already in use. Stop the other server or pass --port (0 picks a free port).`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
