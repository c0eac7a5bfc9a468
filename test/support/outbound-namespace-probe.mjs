// @ts-check
/**
 * @module test/support/outbound-namespace-probe
 * Runs INSIDE a private network namespace (`ip netns exec NAME node outbound-namespace-probe.mjs`)
 * whose only interface is `lo`, carrying 127.0.0.1 and 169.254.169.254. Nothing here can leave the
 * machine. A listener on 169.254.169.254 stands in for the cloud metadata service and counts every
 * connection; the built gateway code (dist/) is then driven at it in every way the outbound policy
 * must refuse — IP literals in all notations, DNS answers, DNS rebinding, redirects, the full
 * gateway — and the listener must see no connection at all. A raw `net.connect` first proves the
 * listener is reachable, so a zero is a real zero. Prints one JSON line; exits 1 on any failure.
 */
import { createServer as createHttpServer } from "node:http";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { request } from "undici";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist");
const METADATA = "169.254.169.254";

const { PoolRegistry } = await import(join(DIST, "upstream", "pool-registry.js"));
const { requestFrom } = await import(join(DIST, "upstream", "undici-runtime.js"));
const { testConnection } = await import(join(DIST, "discovery", "index.js"));
const { createGateway } = await import(join(DIST, "gateway", "create-gateway.js"));

/** @type {string[]} */
const failures = [];
/** @type {string[]} */
const checks = [];

/** @param {boolean} condition @param {string} what */
function check(condition, what) {
  checks.push(what);
  if (!condition) failures.push(what);
}

/** An HTTP server on `host` that counts connections; `handler` answers. */
async function listen(host, handler, wantedPort = 0) {
  let connections = 0;
  const server = createHttpServer(handler);
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise((resolve) => server.listen(wantedPort, host, () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    port,
    connections: () => connections,
    reset: () => {
      connections = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

/** The error code a promise rejects with, or "resolved". */
async function outcome(promise) {
  try {
    const response = await promise;
    await response?.body?.text?.();
    return "resolved";
  } catch (error) {
    return String(error?.code ?? error);
  }
}

/** A resolver answering from a script, one list per lookup (the last repeats). */
function scripted(...answers) {
  let lookups = 0;
  return async () => {
    const answer = answers[Math.min(lookups, answers.length - 1)] ?? [];
    lookups += 1;
    return answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

const metadata = await listen(METADATA, (_request, response) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end('{"AccessKeyId":"canary"}');
});
const port = metadata.port;

// Control: the stand-in metadata service is reachable in this namespace, and is counted.
await new Promise((resolve, reject) => {
  const socket = connect({ host: METADATA, port }, () => {
    socket.end();
    resolve(undefined);
  });
  socket.on("error", reject);
});
await new Promise((resolve) => setTimeout(resolve, 50));
const controlConnections = metadata.connections();
check(controlConnections === 1, "control: a raw connection reaches the listener on 169.254.169.254");
metadata.reset();

// 1. IP-literal origins, every notation, in both modes.
for (const policy of [undefined, { mode: "strict", allowOrigins: new Set([`http://${METADATA}:${port}`]) }]) {
  const pools = new PoolRegistry({ policy });
  for (const host of [METADATA, "2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "169.254.43518", "[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]"]) {
    const origin = new URL(`http://${host}:${port}`).origin;
    const code = await outcome(requestFrom(pools.get(origin, 2_000), { path: "/latest/meta-data/", method: "GET" }));
    check(code === "ERR_OUTBOUND_FORBIDDEN", `literal ${host} (${policy?.mode ?? "local"}) refused: ${code}`);
  }
  await pools.destroy();
}

// 2. A name whose DNS answer is the metadata address (dotted and IPv4-mapped).
for (const answer of [[METADATA], [`::ffff:${METADATA}`], ["127.0.0.1", METADATA]]) {
  const pools = new PoolRegistry({ resolver: scripted(answer) });
  const code = await outcome(requestFrom(pools.get(`http://upstream.test:${port}`, 2_000), { path: "/", method: "GET" }));
  check(code === "ERR_OUTBOUND_FORBIDDEN", `DNS answer ${answer.join(",")} refused: ${code}`);
  await pools.destroy();
}

// 3. DNS rebinding: 127.0.0.1 answers first (and closes the connection), then DNS says metadata.
// The local server takes the metadata listener's port, so a rebinding bug would be counted there.
const local = await listen(
  "127.0.0.1",
  (_request, response) => {
    response.writeHead(200, { connection: "close" });
    response.end("ok");
  },
  port,
);
{
  const pools = new PoolRegistry({ resolver: scripted(["127.0.0.1"], [METADATA]) });
  const origin = `http://rebind.test:${port}`;
  const first = await outcome(requestFrom(pools.get(origin, 2_000), { path: "/", method: "GET" }));
  const second = await outcome(requestFrom(pools.get(origin, 2_000), { path: "/", method: "GET" }));
  check(first === "resolved" && local.connections() === 1, `rebinding: first lookup (127.0.0.1) served: ${first}`);
  check(second === "ERR_OUTBOUND_FORBIDDEN", `rebinding: second lookup (${METADATA}) refused: ${second}`);
  await pools.destroy();
}

// 4. Redirects to the metadata address: inference and discovery never follow them.
const redirecting = await listen("127.0.0.1", (_request, response) => {
  response.writeHead(302, { location: `http://${METADATA}:${port}/latest/meta-data/`, "content-type": "application/json" });
  response.end("{}");
});
const providers = {
  ollama: { kind: "ollama", enabled: false },
  lm_studio: { kind: "lm_studio", enabled: false },
  vllm: { kind: "vllm", enabled: false },
  llamacpp: { kind: "llamacpp", enabled: false },
  "openai-compat": { kind: "openai-compat", enabled: false },
  redirect: { kind: "openai-compat", baseUrl: `http://127.0.0.1:${redirecting.port}/v1`, apiKey: "sk-canary" },
  meta: { kind: "openai-compat", baseUrl: `http://${METADATA}:${port}/v1`, apiKey: "sk-canary" },
  metahex: { kind: "openai-compat", baseUrl: `http://0xa9fea9fe:${port}/v1`, apiKey: "sk-canary" },
};
const gateway = await createGateway({ config: { providers }, env: {} });
const listening = await gateway.listen({ host: "127.0.0.1", port: 0 });
/** @param {string} model */
async function chat(model) {
  const response = await request(`${listening.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
  const body = await response.body.json();
  return { status: response.statusCode, code: body?.error?.code };
}
const redirected = await chat("redirect/any");
check(redirected.status === 502 && redirected.code === "upstream_redirect", `inference redirect relayed as 502 upstream_redirect: ${JSON.stringify(redirected)}`);
const discovery = await testConnection({ kind: "openai-compat", baseUrl: `http://127.0.0.1:${redirecting.port}/v1` });
check(discovery.ok === false && discovery.status === 302, `discovery redirect not followed: ${discovery.code}`);

// 5. The full gateway pointed straight at the metadata address.
for (const model of ["meta/any", "metahex/any"]) {
  const answer = await chat(model);
  check(answer.status === 502 && answer.code === "upstream_forbidden", `inference to ${model} refused as 502 upstream_forbidden: ${JSON.stringify(answer)}`);
}
const models = await request(`${listening.url}/v1/models`);
await models.body.text();
check(models.statusCode === 200, `model list still answers: ${models.statusCode}`);

await gateway.close({ timeoutMs: 0 });
await Promise.all([local.close(), redirecting.close()]);
await new Promise((resolve) => setTimeout(resolve, 50));
const metadataConnections = metadata.connections();
check(metadataConnections === 0, `no connection reached ${METADATA}: ${metadataConnections}`);
await metadata.close();

process.stdout.write(`${JSON.stringify({ controlConnections, metadataConnections, checks: checks.length, failures })}\n`);
process.exit(failures.length === 0 ? 0 : 1);
