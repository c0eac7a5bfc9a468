/**
 * @module test/integration/request-hardening.test
 * Abusive requests against a running gateway on real sockets: slow clients (headers or body sent a
 * byte at a time) are cut off after the configured timeouts, oversized headers get 431, long URLs
 * 414, deeply nested JSON 400, oversized admin bodies 413, and `__proto__` keys change nothing.
 * Timeouts are configured short here; every refusal is an OpenAI error body. Every server
 * contacted is started here, on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../src/defaults.js";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";

const HEADERS_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 800;
const MAX_HEADER_BYTES = 4_096;
const MAX_URL_BYTES = 1_024;

let dataDir: string;
let upstream: ScriptedUpstream;
let gateway: TestGateway;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "switchyard-hardening-"));
  upstream = await startScriptedUpstream();
  gateway = await startGateway({
    dataDir,
    config: {
      server: { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS, maxHeaderBytes: MAX_HEADER_BYTES, maxUrlBytes: MAX_URL_BYTES },
      providers: { up: { kind: "openai-compat", baseUrl: upstream.baseUrl } },
    },
  });
  port = Number(new URL(gateway.url).port);
});

afterAll(async () => {
  await gateway?.close({ timeoutMs: 0 });
  await upstream?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface RawExchange {
  /** Everything the server sent before closing. */
  readonly received: string;
  /** Milliseconds from connecting until the server closed the socket. */
  readonly closedAfterMs: number;
}

/**
 * Opens a raw TCP connection, writes `head` at once, then one byte of `drip` every `intervalMs`
 * until the server closes the connection (or `giveUpMs` passes, which fails the test).
 */
function slowClient(head: string, drip: string, intervalMs: number, giveUpMs = 5_000): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, "127.0.0.1");
    let received = "";
    let index = 0;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server kept a slow client connected for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: Date.now() - started });
    });
    socket.on("connect", () => {
      socket.write(head);
      timer = setInterval(() => {
        if (socket.destroyed || !socket.writable) return;
        // Cycles through the drip text so the request never completes.
        socket.write(drip[index % drip.length] ?? "x");
        index += 1;
      }, intervalMs);
    });
  });
}

interface Reply {
  readonly status: number;
  readonly text: string;
  readonly body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

/** One request through node:http (which, unlike fetch, sends any header size or URL we ask for). */
function send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: "127.0.0.1", port, method, path, headers: { ...(body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }), ...headers } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: response.statusCode ?? 0, text, body: parsed as Reply["body"] });
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

function expectOpenAIError(reply: Reply, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(Object.keys(reply.body.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(reply.body.error.code).toBe(code);
  expect(reply.body.error.type).toBe("invalid_request_error");
}

function isPolluted(): boolean {
  return (Object.prototype as { polluted?: unknown }).polluted !== undefined || ({} as { polluted?: unknown }).polluted !== undefined;
}

describe("slow clients", () => {
  it("closes a connection whose headers trickle in a byte at a time, after the headers timeout, with 408", async () => {
    const exchange = await slowClient(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`, "X-Slow-Header: still-sending-", 50);
    // node:http checks at intervals, so the cut comes a little after the timeout, never before.
    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(exchange.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 2_000);
    expect(exchange.received).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(exchange.received.slice(exchange.received.indexOf("\r\n\r\n") + 4)) as Reply["body"];
    expect(body.error).toMatchObject({ code: "request_timeout", type: "invalid_request_error", param: null });
  });

  it("closes a connection whose body trickles in, after the request timeout", async () => {
    const before = upstream.requests.length;
    const exchange = await slowClient(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`,
      '{"model":"up/m","messages":[] ',
      50,
    );
    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(exchange.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
    expect(exchange.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(upstream.requests.length).toBe(before);
  });

  it("still serves a client that sends its request at a normal pace", async () => {
    const reply = await send("POST", "/v1/chat/completions", JSON.stringify({ model: "up/m", messages: [{ role: "user", content: "hi" }] }));
    expect(reply.status).toBe(200);
  });
});

describe("size limits", () => {
  it("answers headers larger than maxHeaderBytes with 431 in the OpenAI error format", async () => {
    const reply = await send("GET", "/v1/models", undefined, { "x-padding": "a".repeat(MAX_HEADER_BYTES + 100) });
    expectOpenAIError(reply, 431, "headers_too_large");
  });

  it("answers a URL longer than maxUrlBytes with 414 and does not quote it", async () => {
    const query = `?key=sk-proj-${"Q".repeat(MAX_URL_BYTES)}`;
    const reply = await send("GET", `/v1/models${query}`);
    expectOpenAIError(reply, 414, "url_too_long");
    expect(reply.text).not.toContain("QQQQ");
  });

  it("serves a URL just under the limit", async () => {
    const reply = await send("GET", `/v1/models?pad=${"p".repeat(MAX_URL_BYTES - 20)}`);
    expect(reply.status).toBe(200);
  });

  it("answers an admin body over the admin limit with 413", async () => {
    const reply = await send("POST", "/api/credentials", JSON.stringify({ name: "big", kind: "openai-compat", pad: "x".repeat(1024 * 1024) }));
    expectOpenAIError(reply, 413, "body_too_large");
  });
});

describe("JSON depth", () => {
  const deep = (inner: number): string => JSON.stringify({ model: "up/m", messages: [{ role: "user", content: "hi" }] }).replace(/}$/, `,"x":${"[".repeat(inner)}${"]".repeat(inner)}}`);

  it("refuses a /v1 body nested deeper than the limit with 400, without calling the upstream", async () => {
    const before = upstream.requests.length;
    const reply = await send("POST", "/v1/chat/completions", deep(MAX_JSON_DEPTH + 10));
    expectOpenAIError(reply, 400, "json_too_deep");
    expect(upstream.requests.length).toBe(before);
  });

  it("refuses a very deep body quickly, whatever its depth", async () => {
    const started = Date.now();
    const reply = await send("POST", "/v1/chat/completions", deep(100_000));
    expectOpenAIError(reply, 400, "json_too_deep");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses a deep admin body the same way", async () => {
    const reply = await send("POST", "/api/credentials", `{"name":"deep","kind":"openai-compat","provider_fields":${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${"}".repeat(MAX_JSON_DEPTH + 1)}}`);
    expectOpenAIError(reply, 400, "json_too_deep");
  });

  it("passes a body nested just under the limit through", async () => {
    const reply = await send("POST", "/v1/chat/completions", deep(MAX_JSON_DEPTH - 2));
    expect(reply.status).toBe(200);
  });
});

describe("prototype pollution", () => {
  it("relays __proto__ and constructor keys as data, unchanged, and pollutes nothing", async () => {
    const body = '{"model":"up/m","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"messages":[{"role":"user","content":"hi","__proto__":{"polluted":true}}]}';
    const reply = await send("POST", "/v1/chat/completions", body);
    expect(reply.status).toBe(200);
    const received = upstream.requests.at(-1);
    expect(received?.body.toString("utf8")).toBe(body.replace('"up/m"', '"m"'));
    expect(isPolluted()).toBe(false);
  });

  it("refuses __proto__ in admin bodies as an unknown field and pollutes nothing", async () => {
    const reply = await send("POST", "/api/credentials", '{"name":"proto","kind":"openai-compat","__proto__":{"polluted":true,"api_key":"x"}}');
    expectOpenAIError(reply, 400, "invalid_request");
    expect(reply.body.error.message).toContain("__proto__");
    expect(isPolluted()).toBe(false);
  });

  it("drops __proto__ inside user-named admin maps without effect on the stored credential", async () => {
    const created = await send("POST", "/api/credentials", '{"name":"proto-map","kind":"openai-compat","base_url":"http://127.0.0.1:9/v1","headers":{"__proto__":"x","X-Team":"t"}}');
    expect(created.status).toBe(201);
    const shown = JSON.parse(created.text) as { header_names: string[] };
    expect(shown.header_names).toEqual(["X-Team"]);
    const listed = await send("GET", "/api/credentials");
    expect(listed.status).toBe(200);
    expect(isPolluted()).toBe(false);
  });
});
