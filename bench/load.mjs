/**
 * @module bench/load
 * The two ways the bench drives a path: `runLoad` (many connections, closed loop, through wrk or
 * autocannon in a pinned child process) and `runSequential` (one connection, back-to-back, with an
 * undici client in this process, measuring time to first body byte and to the end of the body).
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "undici";
import { spawnTracked } from "./processes.mjs";

const AUTOCANNON_RUNNER = fileURLToPath(new URL("./autocannon-runner.mjs", import.meta.url));

/** wrk's `done()` hook prints one parseable line; latency percentiles are in microseconds. */
function wrkScript(body) {
  return `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[${body}]==]
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("BENCH_RESULT %d %d %f %f %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
`;
}

function collect(child) {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (data) => (output += data));
    child.stderr.on("data", (data) => (output += data));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`load generator exited ${code}: ${output.trim()}`))));
  });
}

async function runWrk({ url, body, connections, durationSeconds, cpu, workDir }) {
  const scriptPath = join(workDir, `wrk-${createHash("sha256").update(body).digest("hex").slice(0, 12)}.lua`);
  writeFileSync(scriptPath, wrkScript(body));
  const args = ["-t1", `-c${connections}`, `-d${durationSeconds}s`, "--timeout", "10s", "-s", scriptPath, url];
  const output = await collect(spawnTracked("wrk", args, { cpu, stdio: ["ignore", "pipe", "pipe"] }));
  const fields = /BENCH_RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)/.exec(output);
  if (!fields) throw new Error(`unexpected wrk output: ${output}`);
  const [, requests, durationUs, p50Us, p99Us, errors] = fields.map(Number);
  return { requests, durationSeconds: durationUs / 1e6, p50Us, p99Us, errors };
}

async function runAutocannon({ url, body, connections, durationSeconds, cpu }) {
  const options = JSON.stringify({ url, body, connections, durationSeconds });
  const output = await collect(spawnTracked(process.execPath, [AUTOCANNON_RUNNER, options], { cpu, stdio: ["ignore", "pipe", "pipe"] }));
  const line = output.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line);
}

/**
 * Closed-loop load at `connections`: every connection sends the next request as soon as the
 * previous answer ends, so requests/s measures how much work the path can do per second.
 */
export async function runLoad(options) {
  const result = options.tool === "wrk" ? await runWrk(options) : await runAutocannon(options);
  return { ...result, requestsPerSecond: result.requests / result.durationSeconds };
}

function percentile(sortedValues, fraction) {
  if (sortedValues.length === 0) return Number.NaN;
  return sortedValues[Math.min(sortedValues.length - 1, Math.floor(fraction * sortedValues.length))];
}

/**
 * One connection, one request at a time: `warmup` unrecorded requests, then up to `maxRequests`
 * within `maxSeconds`. Times are from sending the request to the first body byte and to the end.
 */
export async function runSequential({ url, body, warmup = 100, maxRequests = 2_000, maxSeconds = 1.5 }) {
  const target = new URL(url);
  const client = new Client(target.origin, { keepAliveTimeout: 60_000 });
  const request = { path: target.pathname, method: "POST", headers: { "content-type": "application/json" }, body };
  const firstByte = [];
  const total = [];
  let errors = 0;
  try {
    let deadline = 0n;
    for (let index = 0; index < warmup + maxRequests; index += 1) {
      // The time budget starts after the warm-up, which primes JIT and connection on both sides.
      if (index === warmup) deadline = process.hrtime.bigint() + BigInt(Math.round(maxSeconds * 1e9));
      if (index > warmup && process.hrtime.bigint() > deadline) break;
      const started = process.hrtime.bigint();
      let firstByteAt = 0n;
      const response = await client.request(request);
      for await (const chunk of response.body) if (firstByteAt === 0n && chunk.length > 0) firstByteAt = process.hrtime.bigint();
      const ended = process.hrtime.bigint();
      if (response.statusCode !== 200) errors += 1;
      if (index < warmup) continue;
      firstByte.push(Number(firstByteAt - started) / 1_000);
      total.push(Number(ended - started) / 1_000);
    }
  } finally {
    await client.close();
  }
  firstByte.sort((left, right) => left - right);
  total.sort((left, right) => left - right);
  return {
    count: total.length,
    errors,
    firstByteP50Us: percentile(firstByte, 0.5),
    firstByteP99Us: percentile(firstByte, 0.99),
    p50Us: percentile(total, 0.5),
    p99Us: percentile(total, 0.99),
  };
}
