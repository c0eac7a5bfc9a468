/**
 * @module bench/processes
 * Child processes of the benchmark: CPU pinning, start-up with URL discovery, memory readings and
 * cleanup. Children write to log files rather than pipes: a pipe we stopped reading would block a
 * server that logs every request, and reading it would cost the bench CPU during the runs.
 */
import { execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+/;
/** Every child still running, so that any exit path can stop it. */
const children = new Set();

function commandExists(command) {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether load and servers can sit on separate CPUs, as in the reference measurements: load
 * generator on CPU 0, upstream and proxies on CPU 1, so the proxy's CPU per request shows as RPS.
 */
export function canPin() {
  return availableParallelism() >= 2 && commandExists("taskset");
}

/** Pins every thread of this process (and so the load generators it spawns) to `cpu`. */
export function pinSelf(cpu) {
  execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(process.pid)], { stdio: "ignore" });
}

/** Whether wrk is installed (then it is the load generator, as in the reference measurements). */
export function hasWrk() {
  return commandExists("wrk");
}

/** Spawns a tracked child, pinned to `cpu` when it is a number. `taskset` execs, so the pid is the command's. */
export function spawnTracked(command, args, { cpu, ...options } = {}) {
  const child = cpu === undefined ? spawn(command, args, options) : spawn("taskset", ["-c", String(cpu), command, ...args], options);
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function tail(path, lines = 20) {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").slice(-lines).join("\n") : "(no output)";
}

/**
 * Starts a server and waits until it prints its URL (the first `http://127.0.0.1:PORT` in its
 * output). Rejects with the end of its log if it exits or stays silent for `timeoutMs`.
 */
export async function startServer({ name, args, env = process.env, cpu, logPath, timeoutMs = 15_000 }) {
  const descriptor = openSync(logPath, "w");
  const child = spawnTracked(process.execPath, args, { cpu, env, stdio: ["ignore", descriptor, descriptor] });
  closeSync(descriptor);
  let exitCode = null;
  child.once("exit", (code, signal) => (exitCode = code ?? signal));
  child.once("error", (error) => (exitCode = error.message));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = URL_PATTERN.exec(readFileSync(logPath, "utf8"));
    if (match) return { name, pid: child.pid, url: match[0], logPath };
    if (exitCode !== null) throw new Error(`${name} exited (${exitCode}) before listening; last output:\n${tail(logPath)}`);
    await sleep(25);
  }
  throw new Error(`${name} printed no http://127.0.0.1:PORT line within ${timeoutMs} ms; last output:\n${tail(logPath)}`);
}

/** Resident and peak memory of a process in MB, from /proc (null where /proc is absent). */
export function readMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kilobytes = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kilobytes("VmRSS") / 1024, peakMb: kilobytes("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/** Stops every tracked child: SIGTERM, then SIGKILL for those still alive after `graceMs`. */
export async function stopAll(graceMs = 2_000) {
  const running = [...children];
  for (const child of running) child.kill("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (children.size > 0 && Date.now() < deadline) await sleep(20);
  killAllNow();
}

/** Synchronous last resort for `process.on("exit")`, where nothing can be awaited. */
export function killAllNow() {
  for (const child of children) child.kill("SIGKILL");
}
