/**
 * @module bench/run
 * `npm run bench`: direct vs reference pass-through vs Switchyard, in interleaved rounds, on this
 * machine. Prints markdown tables and PASS/FAIL per target, writes bench/results/latest.json.
 * Method: the project's gateway-overhead measurements (pinned CPUs, closed-loop load, medians
 * over rounds, ratios within a round). See bench/README.md.
 * Tunables: BENCH_ROUNDS (3), BENCH_SECONDS per 64-connection run (3), BENCH_LOAD_GENERATOR
 * (`autocannon` forces it even where wrk exists), BENCH_SWITCHYARD_ENTRY (default dist/main.js,
 * e.g. to measure another build).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { runLoad, runSequential } from "./load.mjs";
import { canPin, hasWrk, killAllNow, pinSelf, readMemory, startServer, stopAll } from "./processes.mjs";
import { evaluateTargets, formatReport, summarize } from "./report.mjs";

/** Read before pinning: afterwards the affinity mask makes it report 1. */
const CPU_COUNT = availableParallelism();
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONNECTIONS = 64;
/** The route with three weighted deployments that the `switchyard-3x` path calls. */
const ROUTED_MODEL = "bench-weighted";
const LOAD_CPU = 0;
const SERVER_CPU = 1;

function positiveNumber(text, fallback) {
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const STARTED_AT = new Date().toISOString();
const ROUNDS = positiveNumber(process.env.BENCH_ROUNDS, 3);
const LOAD_SECONDS = positiveNumber(process.env.BENCH_SECONDS, 3);

const chatBody = (model, stream) =>
  JSON.stringify({ model, messages: [{ role: "system", content: "You are a helpful assistant." }, { role: "user", content: "Say hello in one short sentence." }], max_tokens: 64, ...(stream ? { stream: true } : {}) });
const embeddingsBody = (model) => JSON.stringify({ model, input: "The quick brown fox jumps over the lazy dog", encoding_format: "float" });

/** What each scenario sends, and how a healthy answer looks (checked once before any load). */
const FAMILIES = {
  chat: { route: "/v1/chat/completions", body: (model) => chatBody(model, false), healthy: (text) => text.includes('"chat.completion"') },
  stream: { route: "/v1/chat/completions", body: (model) => chatBody(model, true), healthy: (text) => text.includes("data: [DONE]") && text.includes("chat.completion.chunk") },
  embeddings: { route: "/v1/embeddings", body: embeddingsBody, healthy: (text) => text.includes('"embedding"') },
};

const SCENARIOS = [
  { id: "chat-64", family: "chat", mode: "load" },
  { id: "chat-1", family: "chat", mode: "sequential" },
  { id: "stream-64", family: "stream", mode: "load" },
  { id: "stream-1", family: "stream", mode: "first-byte" },
  { id: "embeddings-64", family: "embeddings", mode: "load" },
];

const workDir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
let cleanedUp = false;

function removeWorkDir() {
  if (cleanedUp) return;
  cleanedUp = true;
  rmSync(workDir, { recursive: true, force: true });
}

process.on("exit", () => {
  killAllNow();
  removeWorkDir();
});
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping child processes`);
    stopAll(500).finally(() => process.exit(130));
  });
}

function progress(message) {
  process.stderr.write(`${message}\n`);
}

async function startSwitchyard(upstreamUrl, cpu) {
  const entry = process.env.BENCH_SWITCHYARD_ENTRY ?? join(ROOT, "dist", "main.js");
  if (!existsSync(entry)) return { skipped: `${entry} not found: run \`npm run build\` first` };
  const dataDir = join(workDir, "switchyard-data");
  mkdirSync(dataDir);
  // Three deployments of the same upstream behind one weighted route: the routing layer's own cost.
  const configFile = join(workDir, "switchyard.config.json");
  const replicas = ["r1", "r2", "r3"];
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: Object.fromEntries(replicas.map((name) => [name, { kind: "openai-compat", baseUrl: `${upstreamUrl}/v1` }])),
      routes: { [ROUTED_MODEL]: { strategy: "weighted", targets: replicas.map((name, index) => ({ model: `${name}/bench-model`, weight: index + 1 })) } },
    }),
  );
  try {
    const server = await startServer({
      name: "switchyard",
      args: [entry, "serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir, "--config", configFile],
      env: { ...process.env, OPENAI_COMPAT_BASE_URL: `${upstreamUrl}/v1` },
      cpu,
      logPath: join(workDir, "switchyard.log"),
    });
    return { server };
  } catch (error) {
    return { skipped: `failed to start: ${error.message}` };
  }
}

/** One request per family before any load, so that a broken route is reported, not benchmarked. */
async function sanityCheck(path, family) {
  const { route, body, healthy } = FAMILIES[family];
  try {
    const response = await request(`${path.url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: body(path.model) });
    const text = await response.body.text();
    if (response.statusCode === 200 && healthy(text)) return null;
    return `${route} answered ${response.statusCode}: ${text.slice(0, 200)}`;
  } catch (error) {
    return `${route} failed: ${error.message}`;
  }
}

async function measure(path, scenario, tool, seconds, cpu) {
  const family = FAMILIES[scenario.family];
  const url = `${path.url}${family.route}`;
  const body = family.body(path.model);
  if (scenario.mode === "load") return runLoad({ tool, url, body, connections: CONNECTIONS, durationSeconds: seconds, cpu, workDir });
  // wrk measures one back-to-back connection in µs; autocannon's whole-millisecond latencies cannot.
  if (scenario.mode === "sequential" && tool === "wrk") return runLoad({ tool, url, body, connections: 1, durationSeconds: 2, cpu, workDir });
  if (scenario.mode === "sequential") return runSequential({ url, body, warmup: 200, maxRequests: 5_000, maxSeconds: 2 });
  return runSequential({ url, body, warmup: 50, maxRequests: 1_000, maxSeconds: 1.5 });
}

function describeRun(scenario, result) {
  if (scenario.mode === "load" || result.requestsPerSecond !== undefined) return `${Math.round(result.requestsPerSecond ?? 0)} req/s, p50 ${Math.round(result.p50Us)} µs, ${result.errors} errors`;
  return `TTFB p50 ${Math.round(result.firstByteP50Us)} µs, total p50 ${Math.round(result.p50Us)} µs, ${result.errors} errors`;
}

async function main() {
  const pinned = canPin();
  if (pinned) pinSelf(LOAD_CPU);
  const serverCpu = pinned ? SERVER_CPU : undefined;
  const loadCpu = pinned ? LOAD_CPU : undefined;
  const tool = process.env.BENCH_LOAD_GENERATOR !== "autocannon" && hasWrk() ? "wrk" : "autocannon";
  progress(`load generator: ${tool}${pinned ? " (CPU 0; servers on CPU 1)" : " (no pinning)"}; work dir ${workDir}`);

  const upstream = await startServer({ name: "upstream", args: [join(ROOT, "bench", "upstream.mjs")], cpu: serverCpu, logPath: join(workDir, "upstream.log") });
  const reference = await startServer({
    name: "reference",
    args: [join(ROOT, "bench", "reference-proxy.mjs")],
    env: { ...process.env, BENCH_UPSTREAM_URL: upstream.url },
    cpu: serverCpu,
    logPath: join(workDir, "reference.log"),
  });
  const switchyard = await startSwitchyard(upstream.url, serverCpu);
  if (switchyard.skipped) progress(`switchyard: skipped, ${switchyard.skipped}`);

  const paths = [
    { name: "direct", url: upstream.url, model: "bench-model", pid: null },
    { name: "reference", url: reference.url, model: "bench-model", pid: reference.pid },
    ...(switchyard.server
      ? [
          { name: "switchyard", url: switchyard.server.url, model: "openai-compat/bench-model", pid: switchyard.server.pid },
          // The same process; its memory is reported once, under "switchyard".
          { name: "switchyard-3x", url: switchyard.server.url, model: ROUTED_MODEL, pid: null },
        ]
      : []),
  ];

  const skipped = {};
  for (const path of paths) {
    for (const family of Object.keys(FAMILIES)) {
      const problem = await sanityCheck(path, family);
      if (!problem) continue;
      progress(`${path.name}: ${family} skipped, ${problem}`);
      for (const scenario of SCENARIOS.filter((candidate) => candidate.family === family)) (skipped[path.name] ??= {})[scenario.id] = problem;
    }
  }
  const runnable = (path, scenario) => !skipped[path.name]?.[scenario.id];

  const memory = {};
  for (const path of paths) if (path.pid) memory[path.name] = { idle: readMemory(path.pid) };

  progress("warm-up: 1 s of each 64-connection scenario per path");
  for (const path of paths) {
    for (const scenario of SCENARIOS.filter((candidate) => candidate.mode === "load" && runnable(path, candidate))) await measure(path, scenario, tool, 1, loadCpu);
  }

  const runs = Object.fromEntries(paths.map((path) => [path.name, Object.fromEntries(SCENARIOS.map((scenario) => [scenario.id, []]))]));
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const scenario of SCENARIOS) {
      for (const path of paths) {
        if (!runnable(path, scenario)) continue;
        const result = await measure(path, scenario, tool, LOAD_SECONDS, loadCpu);
        runs[path.name][scenario.id].push(result);
        progress(`round ${round}/${ROUNDS} ${scenario.id.padEnd(13)} ${path.name.padEnd(10)} ${describeRun(scenario, result)}`);
      }
    }
  }
  for (const path of paths) if (path.pid) memory[path.name].afterLoad = readMemory(path.pid);

  const data = {
    meta: {
      date: STARTED_AT,
      node: process.version,
      cpus: CPU_COUNT,
      loadGenerator: tool,
      sequentialTool: tool === "wrk" ? "wrk -c1" : "an undici client in the bench process",
      pinned,
      rounds: ROUNDS,
      loadSeconds: LOAD_SECONDS,
      connections: CONNECTIONS,
      switchyard: switchyard.server ? { status: "ok" } : { status: "skipped", reason: switchyard.skipped },
    },
    paths: paths.map((path) => path.name),
    skipped,
    runs,
    memory,
  };
  const summary = summarize(data);
  const targets = evaluateTargets(data, summary);
  console.log(formatReport(data, summary, targets));

  const resultsDir = join(ROOT, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify({ ...data, summary, targets }, null, 2)}\n`);
  progress(`\nresults written to bench/results/latest.json`);
  await stopAll();
  return targets.some((target) => target.result === "FAIL") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    // Stopping the children on a signal makes the run in progress fail; that is not news.
    if (interrupted) return;
    console.error(`bench failed: ${error.stack ?? error}`);
    await stopAll(500);
    process.exit(2);
  },
);
