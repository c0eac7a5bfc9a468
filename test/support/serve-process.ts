/**
 * @module test/support/serve-process
 * Runs the built `switchyard` command (`node dist/main.js`) as users do: a child process with an
 * explicit environment (never this process's), bound to 127.0.0.1 on a port the OS picks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The built CLI entry. */
export const MAIN = join(REPO_ROOT, "dist", "main.js");

/** A running `switchyard serve`. */
export interface ServeProcess {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** Sends SIGTERM and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

/** The base environment for a child: PATH and HOME only, plus what the test adds. */
function childEnv(home: string, env: Readonly<Record<string, string>>): Record<string, string> {
  return { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, ...env };
}

/** Runs a CLI command to completion and resolves with its exit code and output. */
export function runSwitchyard(args: readonly string[], options: { home: string; env?: Readonly<Record<string, string>> }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: childEnv(options.home, options.env ?? {}), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    (child.stdout as Readable).on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    (child.stderr as Readable).on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `switchyard serve --host 127.0.0.1 --port 0 ...args` and resolves once it listens. */
export function startServe(options: { home: string; dataDir: string; env?: Readonly<Record<string, string>>; args?: readonly string[]; timeoutMs?: number }): Promise<ServeProcess> {
  const child = spawn(process.execPath, [MAIN, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", options.dataDir, ...(options.args ?? [])], {
    env: childEnv(options.home, options.env ?? {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const stop = async (timeoutMs = 5_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(0);
      reject(new Error(`switchyard serve did not start in time; output: ${output}`));
    }, options.timeoutMs ?? 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ url: match[1], child, output: () => output, stop });
      }
    };
    (child.stdout as Readable).on("data", onData);
    (child.stderr as Readable).on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`switchyard serve exited with ${String(code)} before listening; output: ${output}`));
    });
  });
}
