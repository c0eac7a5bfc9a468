/**
 * @module test/support/scripted-upstream.test
 * Shows that each canned response type and each default handler of the scripted upstream does what
 * its documentation says, over real sockets.
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { request } from "undici";
import { SCRIPTED_SPEECH_BYTES, SCRIPTED_STREAM_TEXT, scriptedEmbedding, scriptedSpeechBytes, sseData, startScriptedUpstream } from "./scripted-upstream.js";
import type { ScriptedUpstream } from "./scripted-upstream.js";

let upstream: ScriptedUpstream;

beforeEach(async () => {
  upstream = await startScriptedUpstream();
});

afterEach(async () => {
  await upstream.close();
});

function postJson(path: string, body: unknown) {
  return request(`${upstream.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

/** The `data:` payloads of an SSE body, in order. */
function sseDataPayloads(text: string): string[] {
  return text
    .split("\n\n")
    .filter((event) => event.startsWith("data: "))
    .map((event) => event.slice("data: ".length));
}

describe("default handlers", () => {
  it("answers chat completions by echoing the last user message and the received model", async () => {
    const response = await postJson("/v1/chat/completions", { model: "m1", messages: [{ role: "system", content: "be brief" }, { role: "user", content: "ping" }] });
    const body = (await response.body.json()) as { object: string; model: string; choices: Array<{ message: { content: string } }> };
    expect(response.statusCode).toBe(200);
    expect(body.object).toBe("chat.completion");
    expect(body.model).toBe("m1");
    expect(body.choices[0]?.message.content).toBe("ping");
  });

  it("streams chat chunks that concatenate to the stream text, then [DONE]", async () => {
    const response = await postJson("/v1/chat/completions", { model: "m1", stream: true, messages: [{ role: "user", content: "hi" }] });
    expect(response.headers["content-type"]).toBe("text/event-stream");
    const payloads = sseDataPayloads(await response.body.text());
    expect(payloads.at(-1)).toBe("[DONE]");
    const chunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload) as { object: string; choices: Array<{ delta: { content?: string } }> });
    expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk")).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(SCRIPTED_STREAM_TEXT);
  });

  it("adds a usage chunk to the stream only when stream_options.include_usage is set", async () => {
    const withUsage = sseDataPayloads(await (await postJson("/v1/chat/completions", { model: "m", stream: true, stream_options: { include_usage: true }, messages: [] })).body.text());
    const withoutUsage = sseDataPayloads(await (await postJson("/v1/chat/completions", { model: "m", stream: true, messages: [] })).body.text());
    expect(JSON.parse(withUsage.at(-2) ?? "null")).toMatchObject({ choices: [], usage: { completion_tokens: 5 } });
    expect(withUsage.length).toBe(withoutUsage.length + 1);
  });

  it("answers text completions with the prompt, and streams the stream text", async () => {
    const plain = (await (await postJson("/v1/completions", { model: "m2", prompt: "say this" })).body.json()) as { object: string; choices: Array<{ text: string }> };
    expect(plain).toMatchObject({ object: "text_completion", choices: [{ text: "say this" }] });
    const streamed = sseDataPayloads(await (await postJson("/v1/completions", { model: "m2", prompt: "x", stream: true })).body.text());
    const texts = streamed.slice(0, -1).map((payload) => (JSON.parse(payload) as { choices: Array<{ text: string }> }).choices[0]?.text);
    expect(texts.join("")).toBe(SCRIPTED_STREAM_TEXT);
  });

  it("returns the same embeddings as floats and as little-endian float32 base64", async () => {
    const floats = (await (await postJson("/v1/embeddings", { model: "e", input: ["a", "b"] })).body.json()) as { data: Array<{ index: number; embedding: number[] }> };
    const encoded = (await (await postJson("/v1/embeddings", { model: "e", input: ["a", "b"], encoding_format: "base64" })).body.json()) as { data: Array<{ embedding: string }> };
    expect(floats.data.map((item) => item.index)).toEqual([0, 1]);
    expect(floats.data[1]?.embedding).toEqual(scriptedEmbedding("b"));
    const bytes = Buffer.from(encoded.data[1]?.embedding ?? "", "base64");
    const decoded = Array.from({ length: bytes.length / 4 }, (_, position) => bytes.readFloatLE(position * 4));
    expect(decoded).toEqual(floats.data[1]?.embedding);
  });

  it("returns 64 KiB of deterministic audio/mpeg bytes for speech", async () => {
    const response = await postJson("/v1/audio/speech", { model: "tts", input: "hello", voice: "alloy" });
    expect(response.headers["content-type"]).toBe("audio/mpeg");
    const audio = Buffer.from(await response.body.arrayBuffer());
    expect(audio.length).toBe(SCRIPTED_SPEECH_BYTES);
    expect(audio.equals(scriptedSpeechBytes("hello"))).toBe(true);
  });

  it("answers multipart transcriptions with the received model, byte count and sha256", async () => {
    const form = new FormData();
    form.append("model", "whisper-1");
    form.append("file", new Blob([Buffer.alloc(1000, 7)], { type: "audio/wav" }), "clip.wav");
    const response = await fetch(`${upstream.baseUrl}/audio/transcriptions`, { method: "POST", body: form });
    const body = (await response.json()) as { text: string; received_model: string; bytes: number; sha256: string };
    const raw = upstream.requests[0]?.body ?? Buffer.alloc(0);
    expect(body.received_model).toBe("whisper-1");
    expect(body.bytes).toBe(raw.length);
    expect(body.bytes).toBeGreaterThan(1000);
    expect(body.sha256).toBe(createHash("sha256").update(raw).digest("hex"));
    expect(body.text).toContain("whisper-1");
  });

  it("lists its models and answers unknown routes with a 404 OpenAI error body", async () => {
    const models = (await (await request(`${upstream.baseUrl}/models`)).body.json()) as { data: Array<{ id: string }> };
    expect(models.data.map((model) => model.id)).toEqual(["scripted-chat", "scripted-embed"]);
    const missing = await request(`${upstream.baseUrl}/nothing`);
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.json()).toMatchObject({ error: { code: "not_found" } });
  });
});

describe("canned responses", () => {
  it("serves scripted responses once per request, then falls back to the default", async () => {
    upstream.script("/v1/chat/completions", { type: "json", status: 429, body: { error: { message: "slow down" } }, headers: { "retry-after": "1" } });
    const first = await postJson("/v1/chat/completions", { model: "m", messages: [{ role: "user", content: "a" }] });
    expect(first.statusCode).toBe(429);
    expect(first.headers["retry-after"]).toBe("1");
    await first.body.dump();
    const second = await postJson("/v1/chat/completions", { model: "m", messages: [{ role: "user", content: "a" }] });
    expect(second.statusCode).toBe(200);
    await second.body.dump();
  });

  it("sends text bodies such as HTML error pages and empty bodies with their status", async () => {
    upstream.script("/v1/embeddings", { type: "text", status: 502, body: "<html>Bad Gateway</html>", contentType: "text/html" }, { type: "text", status: 503, body: "" });
    const html = await postJson("/v1/embeddings", {});
    expect([html.statusCode, html.headers["content-type"], await html.body.text()]).toEqual([502, "text/html", "<html>Bad Gateway</html>"]);
    const empty = await postJson("/v1/embeddings", {});
    expect([empty.statusCode, await empty.body.text()]).toEqual([503, ""]);
  });

  it("writes sse-chunks byte-exact, waiting delayMs between them", async () => {
    const chunks = ["data: {\"a\":", "1}\r\n\r\n", ": comment\n\n", sseData("[DONE]")];
    upstream.script("/v1/chat/completions", { type: "sse-chunks", chunks, delayMs: 30 });
    const started = performance.now();
    const response = await postJson("/v1/chat/completions", {});
    expect(await response.body.text()).toBe(chunks.join(""));
    expect(performance.now() - started).toBeGreaterThanOrEqual(85);
  });

  it("sends binary bodies with their content type", async () => {
    upstream.script("/v1/audio/speech", { type: "binary", body: Buffer.from([0, 1, 2, 255]), contentType: "audio/wav" });
    const response = await postJson("/v1/audio/speech", {});
    expect(response.headers["content-type"]).toBe("audio/wav");
    expect([...Buffer.from(await response.body.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it("holds back the first byte for slow-first-byte's delay", async () => {
    upstream.script("/v1/models", { type: "slow-first-byte", delayMs: 150, then: { type: "json", body: { object: "list", data: [] } } });
    const started = performance.now();
    const response = await request(`${upstream.baseUrl}/models`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(await response.body.json()).toEqual({ object: "list", data: [] });
  });

  it("resets the connection before headers", async () => {
    upstream.script("/v1/chat/completions", { type: "reset-before-headers" });
    await expect(postJson("/v1/chat/completions", {})).rejects.toThrow();
    expect(await upstream.requests[0]?.outcome).toBe("server-reset");
  });

  it("delivers every chunk before closing the socket mid-stream", async () => {
    const chunks = [sseData({ n: 1 }), sseData({ n: 2 })];
    upstream.script("/v1/chat/completions", { type: "reset-mid-stream", chunks });
    const response = await postJson("/v1/chat/completions", {});
    expect(response.statusCode).toBe(200);
    let received = "";
    await expect(async () => {
      for await (const chunk of response.body) received += String(chunk);
    }).rejects.toThrow();
    expect(received).toBe(chunks.join(""));
  });

  it("stalls after its chunks and records that the client aborted", async () => {
    upstream.script("/v1/chat/completions", { type: "stall", chunks: [sseData({ n: 1 })] });
    const controller = new AbortController();
    const response = await fetch(`${upstream.baseUrl}/chat/completions`, { method: "POST", body: "{}", signal: controller.signal });
    const reader = response.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe(sseData({ n: 1 }));
    controller.abort();
    expect(await upstream.requests[0]?.outcome).toBe("client-aborted");
    expect(upstream.requests[0]?.aborted).toBe(true);
  });

  it("hands controlled exchanges to the test to answer by hand", async () => {
    upstream.script("/v1/chat/completions", { type: "controlled" });
    const pending = postJson("/v1/chat/completions", { model: "by-hand" });
    const { request: received, response } = await upstream.nextControlled();
    expect(received.json()).toEqual({ model: "by-hand" });
    response.writeHead(418, { "content-type": "text/plain" });
    response.end("teapot");
    const answered = await pending;
    expect([answered.statusCode, await answered.body.text()]).toEqual([418, "teapot"]);
    expect(await received.outcome).toBe("completed");
  });

  it("echoes multipart uploads as the model, byte count and sha256 of the raw body", async () => {
    upstream.script("/upload", { type: "echo-multipart" });
    const raw = '--b\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-large\r\n--b--\r\n';
    const response = await request(`${upstream.url}/upload`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=b" }, body: raw });
    expect(await response.body.json()).toMatchObject({ received_model: "whisper-large", bytes: raw.length, sha256: createHash("sha256").update(raw).digest("hex") });
  });
});

describe("recording and shutdown", () => {
  it("records method, path, query, headers and body of every request", async () => {
    await (await request(`${upstream.baseUrl}/models?limit=2`, { headers: { authorization: "Bearer k" } })).body.dump();
    await (await postJson("/v1/embeddings", { model: "e", input: "x" })).body.dump();
    const [list, embed] = await upstream.waitForRequests(2);
    expect([list?.method, list?.path, list?.url, list?.headers.authorization]).toEqual(["GET", "/v1/models", "/v1/models?limit=2", "Bearer k"]);
    expect(embed?.json()).toEqual({ model: "e", input: "x" });
    expect(await embed?.outcome).toBe("completed");
  });

  it("close() destroys open sockets, stalled streams included", async () => {
    upstream.script("/v1/chat/completions", { type: "stall", chunks: [] });
    const response = await postJson("/v1/chat/completions", {});
    const reading = response.body.text();
    await upstream.close();
    await expect(reading).rejects.toThrow();
    expect(await upstream.requests[0]?.outcome).toBe("server-reset");
    upstream = await startScriptedUpstream();
  });
});
