/**
 * @module bench/autocannon-runner
 * Runs one autocannon load in its own process (so it can be pinned to the load CPU) and prints the
 * result as one JSON line. Used only when wrk is not installed.
 * Usage: `node bench/autocannon-runner.mjs '{"url":…,"body":…,"connections":64,"durationSeconds":3}'`
 */
import autocannon from "autocannon";

const options = JSON.parse(process.argv[2] ?? "{}");
const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.durationSeconds,
  method: "POST",
  headers: { "content-type": "application/json" },
  body: options.body,
});
// autocannon records latency in whole milliseconds: fine for 64-connection runs, too coarse for c=1.
console.log(
  JSON.stringify({
    requests: result.requests.total,
    durationSeconds: result.duration,
    p50Us: result.latency.p50 * 1000,
    p99Us: result.latency.p99 * 1000,
    errors: result.errors + result.timeouts + result.non2xx,
  }),
);
