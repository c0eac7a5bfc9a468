/**
 * @module bench/report
 * Turns the per-round measurements into the summary, the target checks and the markdown tables.
 * Ratios and "added" values are computed within each round and then the median is taken: the
 * measurements doc found ratios within a round much steadier than absolute numbers across rounds.
 */

/** The overhead targets Switchyard is held to, each a named limit. */
export const TARGETS = {
  minimumThroughputRatio: 0.7,
  maximumAddedSequentialP50Us: 100,
  maximumAddedFirstByteUs: 500,
  maximumRssMb: 150,
  /** A route with three weighted deployments against one deployment, same process, same round. */
  minimumRoutedThroughputRatio: 0.9,
};

function median(values) {
  const sorted = values.filter(Number.isFinite).sort((left, right) => left - right);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function runsOf(data, path, scenario) {
  return data.runs[path]?.[scenario] ?? [];
}

/** Median, min and max of one metric over the rounds. */
function stat(data, path, scenario, metric) {
  const values = runsOf(data, path, scenario).map((run) => run[metric]).filter(Number.isFinite);
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), count: values.length };
}

/** Median over rounds of `combine(path's run, other path's run)` for the same round. */
function paired(data, path, other, scenario, metric, combine) {
  const mine = runsOf(data, path, scenario);
  const theirs = runsOf(data, other, scenario);
  return median(mine.map((run, round) => (theirs[round] ? combine(run[metric], theirs[round][metric]) : Number.NaN)));
}

const ratio = (mine, theirs) => mine / theirs;
const difference = (mine, theirs) => mine - theirs;

function errorsOf(data, path, scenarios) {
  return scenarios.reduce((total, scenario) => total + runsOf(data, path, scenario).reduce((sum, run) => sum + (run.errors ?? 0), 0), 0);
}

/** Per-path summary of every reported figure. */
export function summarize(data) {
  const summary = {};
  for (const path of data.paths) {
    summary[path] = {
      chatRps: stat(data, path, "chat-64", "requestsPerSecond"),
      chatRatio: paired(data, path, "reference", "chat-64", "requestsPerSecond", ratio),
      chatLoadP50Us: stat(data, path, "chat-64", "p50Us").median,
      chatLoadP99Us: stat(data, path, "chat-64", "p99Us").median,
      sequentialP50Us: stat(data, path, "chat-1", "p50Us").median,
      sequentialP99Us: stat(data, path, "chat-1", "p99Us").median,
      addedSequentialP50OverDirectUs: paired(data, path, "direct", "chat-1", "p50Us", difference),
      addedSequentialP50OverReferenceUs: paired(data, path, "reference", "chat-1", "p50Us", difference),
      streamRps: stat(data, path, "stream-64", "requestsPerSecond"),
      streamRatio: paired(data, path, "reference", "stream-64", "requestsPerSecond", ratio),
      firstByteP50Us: stat(data, path, "stream-1", "firstByteP50Us").median,
      firstByteP99Us: stat(data, path, "stream-1", "firstByteP99Us").median,
      streamTotalP50Us: stat(data, path, "stream-1", "p50Us").median,
      addedFirstByteOverDirectUs: paired(data, path, "direct", "stream-1", "firstByteP50Us", difference),
      embeddingsRps: stat(data, path, "embeddings-64", "requestsPerSecond"),
      embeddingsRatio: paired(data, path, "reference", "embeddings-64", "requestsPerSecond", ratio),
      errors: errorsOf(data, path, ["chat-64", "chat-1", "stream-64", "stream-1", "embeddings-64"]),
      memory: data.memory[path] ?? null,
    };
  }
  return summary;
}

function check(target, measured, limit, passes, errors, skipReason) {
  if (skipReason) return { target, measured: "–", limit, result: "SKIP", note: skipReason };
  if (!Number.isFinite(measured.value)) return { target, measured: "–", limit, result: "SKIP", note: "not measured" };
  if (errors > 0) return { target, measured: measured.text, limit, result: "FAIL", note: `${errors} failed requests in these runs` };
  return { target, measured: measured.text, limit, result: passes(measured.value) ? "PASS" : "FAIL", note: "" };
}

/** The PASS/FAIL/SKIP list for Switchyard. */
export function evaluateTargets(data, summary) {
  const mine = summary.switchyard;
  // The reason itself is listed once under "Skipped"; repeating it per target only adds noise.
  const skip = data.meta.switchyard.status === "ok" ? null : "Switchyard not run";
  const reasonFor = (scenario) => skip ?? data.skipped.switchyard?.[scenario] ?? null;
  const errors = (scenario) => errorsOf(data, "switchyard", [scenario]);
  const value = (number, text) => ({ value: number, text });
  const routedRatio = data.paths.includes("switchyard-3x") ? paired(data, "switchyard-3x", "switchyard", "chat-64", "requestsPerSecond", ratio) : Number.NaN;
  return [
    check("chat throughput, 64 conns, vs reference", value(mine?.chatRatio, formatRatio(mine?.chatRatio)), `≥ ${TARGETS.minimumThroughputRatio.toFixed(2)}`, (measured) => measured >= TARGETS.minimumThroughputRatio, errors("chat-64"), reasonFor("chat-64")),
    check("embeddings throughput, 64 conns, vs reference", value(mine?.embeddingsRatio, formatRatio(mine?.embeddingsRatio)), `≥ ${TARGETS.minimumThroughputRatio.toFixed(2)}`, (measured) => measured >= TARGETS.minimumThroughputRatio, errors("embeddings-64"), reasonFor("embeddings-64")),
    check("c=1 chat p50, added over reference", value(mine?.addedSequentialP50OverReferenceUs, `${formatAdded(mine?.addedSequentialP50OverReferenceUs)} µs`), `≤ +${TARGETS.maximumAddedSequentialP50Us} µs`, (measured) => measured <= TARGETS.maximumAddedSequentialP50Us, errors("chat-1"), reasonFor("chat-1")),
    check("c=1 stream TTFB p50, added over direct", value(mine?.addedFirstByteOverDirectUs, `${formatAdded(mine?.addedFirstByteOverDirectUs)} µs`), `≤ +${TARGETS.maximumAddedFirstByteUs} µs`, (measured) => measured <= TARGETS.maximumAddedFirstByteUs, errors("stream-1"), reasonFor("stream-1")),
    check(
      "chat throughput, 3 weighted deployments vs 1",
      value(routedRatio, formatRatio(routedRatio)),
      `≥ ${TARGETS.minimumRoutedThroughputRatio.toFixed(2)}`,
      (measured) => measured >= TARGETS.minimumRoutedThroughputRatio,
      errorsOf(data, "switchyard-3x", ["chat-64"]),
      skip ?? data.skipped["switchyard-3x"]?.["chat-64"] ?? null,
    ),
    check("RSS after load", value(mine?.memory?.afterLoad?.rssMb, `${formatNumber(mine?.memory?.afterLoad?.rssMb)} MB`), `< ${TARGETS.maximumRssMb} MB`, (measured) => measured < TARGETS.maximumRssMb, 0, skip),
  ];
}

function formatNumber(value) {
  return Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "–";
}

function formatRatio(value) {
  return Number.isFinite(value) ? value.toFixed(2) : "–";
}

function formatAdded(value) {
  if (!Number.isFinite(value)) return "–";
  return `${value >= 0 ? "+" : "−"}${formatNumber(Math.abs(value))}`;
}

function formatRange(figure) {
  if (figure.count === 0) return "–";
  return `${formatNumber(figure.median)} (${formatNumber(figure.min)}–${formatNumber(figure.max)})`;
}

function pair(first, second) {
  return Number.isFinite(first) ? `${formatNumber(first)} / ${formatNumber(second)}` : "–";
}

function table(header, rows) {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

/** The full markdown report. */
export function formatReport(data, summary, targets) {
  const { meta } = data;
  const lines = [
    `## Switchyard benchmark — ${meta.date}`,
    "",
    `Node ${meta.node}, ${meta.cpus} CPUs; load generator ${meta.loadGenerator}${meta.pinned ? " on CPU 0, upstream and proxies on CPU 1" : " (not pinned: taskset or a second CPU missing)"}; ` +
      `${meta.rounds} interleaved rounds of ${meta.loadSeconds} s per 64-connection run. Medians over rounds, (min–max) where shown.`,
    `c=1 chat latency by ${meta.sequentialTool}; c=1 stream timings by an undici client in the bench process.` +
      (meta.loadGenerator === "autocannon" ? " autocannon records latency in whole milliseconds, so the 64-connection p50/p99 are coarse." : ""),
    "",
    "### Non-streaming chat (517 B answer) and embeddings (17 KB answer)",
    "",
    table(
      ["path", "chat req/s, 64 conns", "ratio to reference", "p50 / p99 µs, 64 conns", "c=1 p50 / p99 µs", "added c=1 p50 over direct µs", "embeddings req/s, 64 conns", "ratio to reference", "failed requests"],
      data.paths.map((path) => {
        const row = summary[path];
        return [path, formatRange(row.chatRps), formatRatio(row.chatRatio), pair(row.chatLoadP50Us, row.chatLoadP99Us), pair(row.sequentialP50Us, row.sequentialP99Us), formatAdded(row.addedSequentialP50OverDirectUs), formatRange(row.embeddingsRps), formatRatio(row.embeddingsRatio), String(row.errors)];
      }),
    ),
    "",
    "### Streaming (50 chunks + [DONE], 12 KB)",
    "",
    table(
      ["path", "streams/s, 64 conns", "ratio to reference", "c=1 TTFB p50 / p99 µs", "c=1 total p50 µs", "added TTFB over direct µs", "RSS MB idle / after load / peak"],
      data.paths.map((path) => {
        const row = summary[path];
        const memory = row.memory;
        const rss = memory ? `${formatNumber(memory.idle?.rssMb)} / ${formatNumber(memory.afterLoad?.rssMb)} / ${formatNumber(memory.afterLoad?.peakMb)}` : "–";
        return [path, formatRange(row.streamRps), formatRatio(row.streamRatio), pair(row.firstByteP50Us, row.firstByteP99Us), formatNumber(row.streamTotalP50Us), formatAdded(row.addedFirstByteOverDirectUs), rss];
      }),
    ),
    "",
    "### Targets (Switchyard)",
    "",
    table(
      ["target", "measured", "limit", "result"],
      targets.map((target) => [target.target, target.measured, target.limit, target.note ? `${target.result} (${target.note})` : target.result]),
    ),
  ];
  const skipped = Object.entries(data.skipped).flatMap(([path, scenarios]) => Object.entries(scenarios).map(([scenario, reason]) => `- ${path} ${scenario}: skipped, ${reason}`));
  if (meta.switchyard.status !== "ok") skipped.unshift(`- switchyard: skipped, ${meta.switchyard.reason}`);
  if (skipped.length > 0) lines.push("", "Skipped:", ...skipped);
  return lines.join("\n");
}
