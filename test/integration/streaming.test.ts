/**
 * @module test/integration/streaming.test
 * Server-Sent Events through a running gateway over real sockets: relayed chunk by chunk as they
 * arrive and byte for byte, pulled only as fast as the client reads, cancelled upstream when the
 * client leaves, and ended with an error event (never `[DONE]`) when the upstream fails mid-stream.
 */
import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { sseData, startScriptedUpstream, type RecordedRequest, type RequestOutcome, type ScriptedUpstream } from "../support/scripted-upstream.js";

const SSE_HEADERS = { "content-type": "text/event-stream" } as const;
const CHAT_PATH = "/v1/chat/completions";

let upstream: ScriptedUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  gateway = await startGateway({
    config: {
      timeouts: { connectMs: 500, firstByteMs: 3_000, idleMs: 3_000, totalMs: 20_000 },
      // One attempt and no breaker: these tests pin what a single upstream exchange turns into.
      // Retries, failover and breakers have their own suite (test/integration/resilience.test.ts).
      routing: { maxAttempts: 1, breaker: { consecutiveFailures: 1_000, minCalls: 1_000 } },
      providers: {
        up: { kind: "openai-compat", baseUrl: upstream.baseUrl, apiKey: "sk-streaming-test-key" },
        // Only the idle timeout is short, so a stall mid-stream is what ends the exchange.
        idle: { kind: "openai-compat", baseUrl: upstream.baseUrl, timeouts: { idleMs: 200 } },
        // Only the total deadline is short: it fires while chunks are still arriving.
        deadline: { kind: "openai-compat", baseUrl: upstream.baseUrl, timeouts: { totalMs: 400 } },
      },
    },
  });
});

afterAll(async () => {
  await gateway?.close({ timeoutMs: 0 });
  await upstream?.close();
});

/** A chat.completion.chunk event carrying `content`, as an OpenAI upstream sends it. */
function contentEvent(content: string): string {
  return sseData({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] });
}

function streamRequest(model = "up/m", signal?: AbortSignal) {
  return request(`${gateway.url}${CHAT_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "hi" }] }),
    ...(signal === undefined ? {} : { signal }),
  });
}

/** Collects a response body as it arrives, so a test can wait for particular bytes. */
class IncrementalReader {
  #received = Buffer.alloc(0);
  #waiters = new Set<() => void>();
  readonly done: Promise<"end" | "error">;

  constructor(body: Readable) {
    this.done = new Promise((resolve) => {
      body.on("data", (chunk: Buffer) => {
        this.#received = Buffer.concat([this.#received, chunk]);
        for (const wake of this.#waiters) wake();
      });
      body.once("end", () => resolve("end"));
      body.once("error", () => resolve("error"));
    });
    void this.done.then(() => {
      for (const wake of this.#waiters) wake();
    });
  }

  get bytes(): Buffer {
    return this.#received;
  }

  get text(): string {
    return this.#received.toString("utf8");
  }

  /** Resolves once the text received so far satisfies `predicate`; rejects after `timeoutMs`. */
  async waitFor(predicate: (text: string) => boolean, timeoutMs = 2_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.text)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for the client to receive the expected bytes; got ${JSON.stringify(this.text.slice(-300))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#waiters.delete(wake);
          resolve();
        }, remaining);
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
      });
    }
    return this.text;
  }
}

/** Resolves with the outcome, or with "pending" if it has not settled within `timeoutMs`. */
function outcomeWithin(recorded: RecordedRequest, timeoutMs: number): Promise<RequestOutcome | "pending"> {
  return Promise.race([recorded.outcome, new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), timeoutMs))]);
}

/** The newest request the upstream recorded, once it has `count` in total. */
async function nthUpstreamRequest(count: number): Promise<RecordedRequest> {
  const requests = await upstream.waitForRequests(count);
  const recorded = requests[count - 1];
  if (recorded === undefined) throw new Error(`upstream request ${count} missing`);
  return recorded;
}

/** The JSON payloads of the `data:` lines of an SSE text. */
function dataPayloads(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.startsWith("data: "))
    .map((line) => line.slice("data: ".length));
}

/** Splits an SSE text into events as a client decodes it: any line ending, blank line ends an event. */
function sseEvents(text: string): Array<{ data: string[] }> {
  const events: Array<{ data: string[] }> = [];
  let current: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === "") {
      if (current.length > 0) events.push({ data: current });
      current = [];
    } else if (line.startsWith("data:")) {
      current.push(line.slice(line.startsWith("data: ") ? 6 : 5));
    }
  }
  if (current.length > 0) events.push({ data: current });
  return events;
}

function expectErrorEventWithFourKeys(text: string): { message: string; type: string; param: string | null; code: string | null } {
  const last = dataPayloads(text).at(-1);
  expect(last).toBeDefined();
  const parsed = JSON.parse(last ?? "null") as { error: { message: string; type: string; param: string | null; code: string | null } };
  expect(Object.keys(parsed)).toEqual(["error"]);
  expect(Object.keys(parsed.error).sort()).toEqual(["code", "message", "param", "type"]);
  // The error starts its own event: a blank line before it, and it ends with one.
  expect(text).toMatch(/(\n\n|\r\n\r\n)data: \{"error":.*\n\n$/s);
  return parsed.error;
}

function writeAndFlush(response: ServerResponse, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve) => response.write(chunk, () => resolve()));
}

describe("relaying as chunks arrive", () => {
  it("delivers each upstream chunk to the client before the upstream writes the next", async () => {
    upstream.script(CHAT_PATH, { type: "controlled" });
    const pending = streamRequest();
    const { response: upstreamResponse } = await upstream.nextControlled();
    const events = [contentEvent("one"), contentEvent(" two"), contentEvent(" three")];
    upstreamResponse.writeHead(200, SSE_HEADERS);
    upstreamResponse.write(events[0]);
    const response = await pending;
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/event-stream/);
    const reader = new IncrementalReader(response.body);
    let expected = "";
    for (const [index, event] of events.entries()) {
      if (index > 0) upstreamResponse.write(event);
      expected += event;
      // Nothing more is written upstream until the client has this chunk.
      await reader.waitFor((text) => text === expected);
    }
    upstreamResponse.end(sseData("[DONE]"));
    expect(await reader.done).toBe("end");
    expect(reader.text).toBe(`${expected}${sseData("[DONE]")}`);
  });

  it("delivers the first chunk through fetch's body reader while the upstream holds the rest", async () => {
    upstream.script(CHAT_PATH, { type: "controlled" });
    const pending = fetch(`${gateway.url}${CHAT_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "up/m", stream: true, messages: [] }),
    });
    const { response: upstreamResponse } = await upstream.nextControlled();
    upstreamResponse.writeHead(200, SSE_HEADERS);
    upstreamResponse.write(contentEvent("first"));
    const response = await pending;
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error("no body");
    const decoder = new TextDecoder();
    let text = "";
    while (text.length < contentEvent("first").length) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toBe(contentEvent("first"));
    upstreamResponse.end(contentEvent("second") + sseData("[DONE]"));
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toBe(contentEvent("first") + contentEvent("second") + sseData("[DONE]"));
  });

  it("relays bytes exactly as written, without re-framing split events or CRLF line endings", async () => {
    const chunks = [
      'data: {"id":1,"te',
      'xt":"split across writes"}\n',
      "\n",
      'data: {"id":2}\r\n\r\n',
      ": keep-alive comment\r\n\r\n",
      "data: line one\r\ndata: line two\r\n\r",
      "\n",
      "event: custom\ndata: {\"id\":3}\n\n",
      "data: [DONE]\r\n\r\n",
    ];
    upstream.script(CHAT_PATH, { type: "sse-chunks", chunks, delayMs: 10 });
    const response = await streamRequest();
    const received = Buffer.from(await response.body.arrayBuffer());
    expect(received.equals(Buffer.from(chunks.join(""), "utf8"))).toBe(true);
  });

  it("relays a multi-byte character split between two writes unchanged", async () => {
    const whole = Buffer.from(`${contentEvent("snowman ☃ and emoji 🚀")}data: [DONE]\n\n`, "utf8");
    const cut = whole.indexOf(Buffer.from("🚀")) + 2;
    upstream.script(CHAT_PATH, { type: "controlled" });
    const pending = streamRequest();
    const { response: upstreamResponse } = await upstream.nextControlled();
    upstreamResponse.writeHead(200, SSE_HEADERS);
    await writeAndFlush(upstreamResponse, whole.subarray(0, cut));
    await new Promise((resolve) => setTimeout(resolve, 20));
    upstreamResponse.end(whole.subarray(cut));
    const response = await pending;
    const received = Buffer.from(await response.body.arrayBuffer());
    expect(received.equals(whole)).toBe(true);
  });
});

describe("client disconnect", () => {
  it("aborts the upstream call when the client leaves before the upstream answers", async () => {
    upstream.script(CHAT_PATH, { type: "slow-first-byte", delayMs: 10_000, then: { type: "sse-chunks", chunks: [contentEvent("late")] } });
    const controller = new AbortController();
    const pending = streamRequest("up/m", controller.signal).catch((error: unknown) => error);
    const recorded = await nthUpstreamRequest(upstream.requests.length + 1);
    controller.abort();
    await pending;
    expect(await outcomeWithin(recorded, 1_000)).toBe("client-aborted");
  });

  it("aborts the upstream call when the client leaves after headers but before the first token", async () => {
    upstream.script(CHAT_PATH, { type: "stall", chunks: [] });
    const controller = new AbortController();
    const pending = streamRequest("up/m", controller.signal).catch((error: unknown) => error);
    const recorded = await nthUpstreamRequest(upstream.requests.length + 1);
    // Give the upstream's headers time to reach the gateway.
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await pending;
    expect(await outcomeWithin(recorded, 1_000)).toBe("client-aborted");
  });

  it("aborts the upstream call when the client leaves after the first token", async () => {
    upstream.script(CHAT_PATH, { type: "stall", chunks: [contentEvent("first")] });
    const controller = new AbortController();
    const response = await streamRequest("up/m", controller.signal);
    const recorded = await nthUpstreamRequest(upstream.requests.length);
    const reader = new IncrementalReader(response.body);
    await reader.waitFor((text) => text === contentEvent("first"));
    controller.abort();
    expect(await outcomeWithin(recorded, 1_000)).toBe("client-aborted");
  });

  it("aborts the upstream call when the client destroys the response body", async () => {
    upstream.script(CHAT_PATH, { type: "stall", chunks: [contentEvent("first")] });
    const response = await streamRequest();
    const recorded = await nthUpstreamRequest(upstream.requests.length);
    const reader = new IncrementalReader(response.body);
    await reader.waitFor((text) => text.length > 0);
    response.body.destroy();
    expect(await outcomeWithin(recorded, 1_000)).toBe("client-aborted");
  });
});

describe("back-pressure", () => {
  it("stops pulling from the upstream while the client does not read, then delivers every byte", async () => {
    const chunkBytes = 64 * 1024;
    const capBytes = 64 * 1024 * 1024;
    upstream.script(CHAT_PATH, { type: "controlled" });
    const pending = streamRequest();
    const { response: upstreamResponse } = await upstream.nextControlled();
    upstreamResponse.writeHead(200, SSE_HEADERS);
    const upstreamHash = createHash("sha256");
    const first = Buffer.from(contentEvent("start"));
    upstreamResponse.write(first);
    upstreamHash.update(first);
    const response = await pending;

    // The client holds the body unread. Write until a write() returns false and no 'drain' follows.
    let written = first.length;
    let stalled = false;
    let sequence = 0;
    while (written < capBytes) {
      const payload = Buffer.from(`data: ${String(sequence).padStart(8, "0")}${"x".repeat(chunkBytes - 24)}\n\n`);
      sequence += 1;
      upstreamHash.update(payload);
      written += payload.length;
      if (upstreamResponse.write(payload)) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      expect(upstreamResponse.writableNeedDrain).toBe(true);
      const drained = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          upstreamResponse.off("drain", onDrain);
          resolve(false);
        }, 400);
        const onDrain = (): void => {
          clearTimeout(timer);
          resolve(true);
        };
        upstreamResponse.once("drain", onDrain);
      });
      if (!drained) {
        stalled = true;
        break;
      }
    }
    expect(stalled, `upstream never blocked after ${written} bytes: the gateway is buffering the stream`).toBe(true);
    expect(written).toBeLessThan(capBytes);

    // Now read: the upstream drains and every byte arrives in order.
    const clientHash = createHash("sha256");
    let received = 0;
    response.body.on("data", (chunk: Buffer) => {
      clientHash.update(chunk);
      received += chunk.length;
    });
    const ended = new Promise<void>((resolve) => response.body.once("end", () => resolve()));
    await new Promise<void>((resolve) => upstreamResponse.once("drain", () => resolve()));
    const done = Buffer.from(sseData("[DONE]"));
    upstreamHash.update(done);
    upstreamResponse.end(done);
    await ended;
    expect(received).toBe(written + done.length);
    expect(clientHash.digest("hex")).toBe(upstreamHash.digest("hex"));
  });
});

describe("upstream failure mid-stream", () => {
  it("ends the stream with an error event and no [DONE] when the upstream resets", async () => {
    const chunks = [contentEvent("Hel"), contentEvent("lo")];
    upstream.script(CHAT_PATH, { type: "reset-mid-stream", chunks });
    const response = await streamRequest();
    expect(response.statusCode).toBe(200);
    const text = await response.body.text();
    expect(text.startsWith(chunks.join(""))).toBe(true);
    expect(text).not.toContain("[DONE]");
    const error = expectErrorEventWithFourKeys(text);
    expect(error.type).toBe("server_error");
    expect(error.message).toContain("'up'");
    expect(error.message).not.toContain("sk-streaming-test-key");
  });

  it("starts the error event on a fresh line when the upstream broke off inside an event", async () => {
    upstream.script(CHAT_PATH, { type: "reset-mid-stream", chunks: [contentEvent("whole"), 'data: {"id":"chatcmpl-1","obje'] });
    const response = await streamRequest();
    const text = await response.body.text();
    expect(text).not.toContain("[DONE]");
    expect(text).toContain('data: {"id":"chatcmpl-1","obje\n\ndata: {"error":');
    expectErrorEventWithFourKeys(text);
  });

  it("keeps the error event separate when the upstream broke off after a CRLF-terminated line inside an event", async () => {
    // `data: …\r\n` ends a line, not an event: the error must not become a second data line of it.
    upstream.script(CHAT_PATH, { type: "reset-mid-stream", chunks: [contentEvent("whole"), 'data: {"partial":true}\r\n'] });
    const response = await streamRequest();
    const text = await response.body.text();
    const last = sseEvents(text).at(-1);
    expect(last?.data).toHaveLength(1);
    expect(JSON.parse(last?.data[0] ?? "null")).toHaveProperty("error");
  });

  it("makes the openai SDK's stream iteration throw an APIError when the upstream resets", async () => {
    upstream.script(CHAT_PATH, { type: "reset-mid-stream", chunks: [contentEvent("Hel"), contentEvent("lo")] });
    const client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: "client-key", maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: "up/m", stream: true, messages: [{ role: "user", content: "hi" }] });
    let content = "";
    let caught: unknown;
    try {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? "";
    } catch (error) {
      caught = error;
    }
    expect(content).toBe("Hello");
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    expect((caught as InstanceType<typeof OpenAI.APIError>).message).toContain("'up'");
  });

  it("ends the stream with an upstream_timeout error event when the upstream goes silent past the idle timeout", async () => {
    upstream.script(CHAT_PATH, { type: "stall", chunks: [contentEvent("first")] });
    const started = Date.now();
    const response = await streamRequest("idle/m");
    const recorded = await nthUpstreamRequest(upstream.requests.length);
    const text = await response.body.text();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text.startsWith(contentEvent("first"))).toBe(true);
    expect(text).not.toContain("[DONE]");
    const error = expectErrorEventWithFourKeys(text);
    expect(error).toMatchObject({ type: "server_error", code: "upstream_timeout" });
    expect(error.message).toContain("200 ms");
    // The gateway hung up on the silent upstream.
    expect(await outcomeWithin(recorded, 1_000)).toBe("client-aborted");
  });

  it("ends the stream with an upstream_timeout error event when the total deadline passes mid-stream", async () => {
    upstream.script(CHAT_PATH, { type: "sse-chunks", chunks: Array.from({ length: 40 }, (_, index) => contentEvent(`t${index} `)), delayMs: 50 });
    const response = await streamRequest("deadline/m");
    const text = await response.body.text();
    expect(text).not.toContain("[DONE]");
    expect(text.startsWith(contentEvent("t0 "))).toBe(true);
    const error = expectErrorEventWithFourKeys(text);
    expect(error.code).toBe("upstream_timeout");
    expect(error.message).toContain("400 ms");
  });

  it("makes the openai SDK's stream iteration throw an APIError on an idle timeout", async () => {
    upstream.script(CHAT_PATH, { type: "stall", chunks: [contentEvent("first")] });
    const client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: "client-key", maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: "idle/m", stream: true, messages: [{ role: "user", content: "hi" }] });
    let content = "";
    let caught: unknown;
    try {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? "";
    } catch (error) {
      caught = error;
    }
    expect(content).toBe("first");
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    expect((caught as InstanceType<typeof OpenAI.APIError>).code).toBe("upstream_timeout");
  });
});

describe("stream contract", () => {
  function finishEvent(): string {
    return sseData({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
  }

  it("ends a stream the upstream closed without a finish reason or [DONE] with an error event, not a clean finish", async () => {
    upstream.script(CHAT_PATH, { type: "sse-chunks", chunks: [contentEvent("Hel"), contentEvent("lo")] });
    const response = await streamRequest();
    const text = await response.body.text();
    expect(text.startsWith(contentEvent("Hel") + contentEvent("lo"))).toBe(true);
    expect(text).not.toContain("data: [DONE]");
    const error = expectErrorEventWithFourKeys(text);
    expect(error.code).toBe("upstream_stream_truncated");
    expect(error.message).toContain("'up'");
  });

  it("completes normally a stream that sent a finish reason but no [DONE]", async () => {
    const chunks = [contentEvent("Hello"), finishEvent()];
    upstream.script(CHAT_PATH, { type: "sse-chunks", chunks });
    const response = await streamRequest();
    expect(await response.body.text()).toBe(chunks.join(""));
  });

  it("relays an in-band error event and nothing after it", async () => {
    const errorEvent = sseData({ error: { message: "model crashed", type: "server_error", param: null, code: "internal" } });
    upstream.script(CHAT_PATH, { type: "sse-chunks", chunks: [contentEvent("Hel"), errorEvent, "data: [DONE]\n\n"] });
    const response = await streamRequest();
    expect(await response.body.text()).toBe(contentEvent("Hel") + errorEvent);
  });

  it("makes the openai SDK's stream iteration throw on a truncated stream, and finish on a finish reason without [DONE]", async () => {
    const client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: "client-key", maxRetries: 0 });
    upstream.script(CHAT_PATH, { type: "sse-chunks", chunks: [contentEvent("Hel"), contentEvent("lo")] });
    const cut = await client.chat.completions.create({ model: "up/m", stream: true, messages: [{ role: "user", content: "hi" }] });
    let caught: unknown;
    try {
      for await (const chunk of cut) void chunk;
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OpenAI.APIError);

    upstream.script(CHAT_PATH, { type: "sse-chunks", chunks: [contentEvent("Hello"), finishEvent()] });
    const finished = await client.chat.completions.create({ model: "up/m", stream: true, messages: [{ role: "user", content: "hi" }] });
    let content = "";
    for await (const chunk of finished) content += chunk.choices[0]?.delta.content ?? "";
    expect(content).toBe("Hello");
  });
});
