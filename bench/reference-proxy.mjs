/**
 * @module bench/reference-proxy
 * The bar Switchyard is measured against: the cheapest correct Node pass-through ("undici-pass" in
 * the project's measurements). `node:http` server + one undici `Pool` with keep-alive; the request
 * body is buffered, nothing is rewritten, and the answer is streamed into the client response with
 * `pool.stream()`. A client that leaves aborts the upstream call, as any gateway must.
 * Usage: `BENCH_UPSTREAM_URL=http://127.0.0.1:PORT node bench/reference-proxy.mjs`
 */
/* global AbortController -- a Node global that the repo's eslint globals list for .mjs leaves out */
import { createServer } from "node:http";
import { Pool } from "undici";

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, not the message. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"];
/** undici sets host and content-length for the buffered body itself. */
const NOT_FORWARDED_UPSTREAM = new Set([...HOP_BY_HOP, "host", "content-length"]);
const NOT_FORWARDED_DOWNSTREAM = new Set(HOP_BY_HOP);

function keepHeaders(headers, dropped) {
  const kept = {};
  for (const [name, value] of Object.entries(headers)) if (!dropped.has(name) && value !== undefined) kept[name] = value;
  return kept;
}

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? "");
// Enough connections for 64 concurrent clients; a long keep-alive so runs reuse warm sockets.
const pool = new Pool(upstream.origin, { connections: 128, keepAliveTimeout: 60_000 });

const server = createServer((request, response) => {
  const parts = [];
  request.on("data", (part) => parts.push(part));
  request.on("end", () => {
    const controller = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) controller.abort();
    });
    pool.stream(
      { path: request.url, method: request.method, headers: keepHeaders(request.headers, NOT_FORWARDED_UPSTREAM), body: Buffer.concat(parts), signal: controller.signal },
      ({ statusCode, headers }) => {
        response.writeHead(statusCode, keepHeaders(headers, NOT_FORWARDED_DOWNSTREAM));
        return response;
      },
      (error) => {
        if (!error) return;
        if (response.headersSent) response.destroy();
        else response.writeHead(502, { "content-type": "application/json" }).end('{"error":{"message":"upstream failed","type":"api_error","param":null,"code":"upstream_error"}}');
      },
    );
  });
});

server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  console.log(`reference proxy listening on http://127.0.0.1:${server.address().port} -> ${upstream.origin}`);
});
process.on("SIGTERM", () => process.exit(0));
