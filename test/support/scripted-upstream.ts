/**
 * @module test/support/scripted-upstream
 * A real `node:http` upstream on 127.0.0.1:0 for integration tests: OpenAI-like answers by default,
 * plus per-path queues of canned responses (one per attempt) for faults that a mock library cannot
 * produce on a real socket: resets before headers or mid-stream, stalls, slow first bytes, HTML
 * error pages. The canned-response union follows vercel's `test-server` (STYLE.md §18).
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One canned answer, used for exactly one request to the path it was scripted for. */
export type CannedResponse =
  | { readonly type: "json"; readonly status?: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> }
  /** HTML error pages, plain text and empty bodies: what proxies in front of model servers send. */
  | { readonly type: "text"; readonly status: number; readonly body: string; readonly contentType?: string }
  /** Each chunk is written as-is, in its own `write()`, so tests control where the bytes split. */
  | { readonly type: "sse-chunks"; readonly chunks: readonly string[]; readonly delayMs?: number; readonly headers?: Readonly<Record<string, string>> }
  | { readonly type: "binary"; readonly body: Buffer; readonly contentType: string }
  /** Waits before sending anything, then answers with `then`: exercises header timeouts. */
  | { readonly type: "slow-first-byte"; readonly delayMs: number; readonly then: CannedResponse }
  /** Sends a TCP reset instead of an answer: a connection error before any byte. */
  | { readonly type: "reset-before-headers" }
  /** Writes 200 + these SSE chunks, then closes the socket without ending the chunked body. */
  | { readonly type: "reset-mid-stream"; readonly chunks: readonly string[] }
  /** Writes 200 + these chunks, then neither sends more nor ends: exercises idle timeouts and aborts. */
  | { readonly type: "stall"; readonly chunks: readonly string[] }
  /** Hands the exchange to the test through {@link ScriptedUpstream.nextControlled}. */
  | { readonly type: "controlled" }
  /** Answers `{ text, received_model, bytes, sha256 }` computed from the raw (multipart) body. */
  | { readonly type: "echo-multipart" };

/** How the exchange for a recorded request ended. */
export type RequestOutcome = "completed" | "client-aborted" | "server-reset";

/** A request as the upstream received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** True once the client closed the connection before the response ended. */
  readonly aborted: boolean;
  /** Settles when the response completes, the client goes away, or the upstream resets it. */
  readonly outcome: Promise<RequestOutcome>;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  json(): unknown;
}

/** An exchange answered by the test itself (canned type `controlled`). */
export interface ControlledExchange {
  readonly request: RecordedRequest;
  readonly response: ServerResponse;
}

/** Options for {@link startScriptedUpstream}. */
export interface ScriptedUpstreamOptions {
  /** Text that the default streaming handlers deliver, split into word chunks. */
  readonly streamText?: string;
  /** Ids listed by the default `GET /v1/models`. */
  readonly models?: readonly string[];
}

/** A running scripted upstream. */
export interface ScriptedUpstream {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `url + "/v1"`, what an OpenAI client or provider base URL expects. */
  readonly baseUrl: string;
  /** Every request received, in arrival order (recorded once its body has been read). */
  readonly requests: RecordedRequest[];
  /** Queues canned responses for `path`, one per request; the default handler applies once the queue is empty. */
  script(path: string, ...responses: CannedResponse[]): void;
  /** Resolves with the next exchange scripted as `controlled` (or one already waiting). */
  nextControlled(): Promise<ControlledExchange>;
  /** Resolves once at least `count` requests have been recorded. */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** Destroys open sockets and stops listening. */
  close(): Promise<void>;
}

/** What the default streaming handlers deliver unless `options.streamText` says otherwise. */
export const SCRIPTED_STREAM_TEXT = "Hello from the scripted upstream";

/** Size of the default `/v1/audio/speech` answer: large enough to need several writes. */
export const SCRIPTED_SPEECH_BYTES = 64 * 1024;

const SPEECH_CHUNK_BYTES = 16 * 1024;
const DEFAULT_EMBEDDING_DIMENSIONS = 8;
const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" } as const;

/** Canned types used only by the default handlers. */
type InternalResponse = CannedResponse | { readonly type: "chunked-binary"; readonly body: Buffer; readonly contentType: string };

/** Formats one SSE `data:` event with the blank line that ends it. */
export function sseData(value: unknown): string {
  return `data: ${typeof value === "string" ? value : JSON.stringify(value)}\n\n`;
}

/** Starts a scripted upstream on 127.0.0.1 with an ephemeral port. */
export async function startScriptedUpstream(options: ScriptedUpstreamOptions = {}): Promise<ScriptedUpstream> {
  const streamText = options.streamText ?? SCRIPTED_STREAM_TEXT;
  const models = options.models ?? ["scripted-chat", "scripted-embed"];
  const queues = new Map<string, CannedResponse[]>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const controlledWaiters: Array<(exchange: ControlledExchange) => void> = [];
  const controlledPending: ControlledExchange[] = [];
  const requestWaiters: Array<() => void> = [];
  let closing = false;

  const sleep = (milliseconds: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, milliseconds);
      timers.add(timer);
    });

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const recorded = record(request, response, Buffer.concat(chunks));
      requests.push(recorded.view);
      for (const wake of requestWaiters.splice(0)) wake();
      const canned = queues.get(recorded.view.path)?.shift() ?? defaultResponse(recorded.view, streamText, models);
      respond(canned, recorded.view, response, recorded.markReset).catch(() => response.destroy());
    });
  });

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  function record(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const url = request.url ?? "/";
    let aborted = false;
    let reset = false;
    let settle: (outcome: RequestOutcome) => void = () => undefined;
    const outcome = new Promise<RequestOutcome>((resolve) => (settle = resolve));
    response.on("close", () => {
      if (response.writableFinished) return settle("completed");
      // A close we caused (reset types, or close() tearing down) is not the client leaving.
      if (reset || closing) return settle("server-reset");
      aborted = true;
      settle("client-aborted");
    });
    const view: RecordedRequest = {
      method: request.method ?? "GET",
      path: url.split("?")[0] ?? url,
      url,
      headers: request.headers,
      body,
      get aborted() {
        return aborted;
      },
      outcome,
      json() {
        try {
          return JSON.parse(body.toString("utf8")) as unknown;
        } catch {
          return undefined;
        }
      },
    };
    return { view, markReset: () => (reset = true) };
  }

  /**
   * Writes each chunk in its own event-loop turn (or `delayMs` apart): node:http corks writes made in
   * one tick into a single `writev`, which would hide the chunk boundaries a test asked for.
   * Resolves false if the client left meanwhile.
   */
  async function writeChunks(response: ServerResponse, chunks: readonly string[], delayMs?: number): Promise<boolean> {
    for (const [index, chunk] of chunks.entries()) {
      if (index > 0) await (delayMs === undefined ? new Promise((resolve) => setImmediate(resolve)) : sleep(delayMs));
      if (response.destroyed) return false;
      response.write(chunk);
    }
    return !response.destroyed;
  }

  async function respond(canned: InternalResponse, request: RecordedRequest, response: ServerResponse, markReset: () => void): Promise<void> {
    switch (canned.type) {
      case "json": {
        const payload = JSON.stringify(canned.body);
        response.writeHead(canned.status ?? 200, { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...canned.headers });
        response.end(payload);
        return;
      }
      case "text":
        response.writeHead(canned.status, { "content-type": canned.contentType ?? "text/plain; charset=utf-8", "content-length": Buffer.byteLength(canned.body) });
        response.end(canned.body);
        return;
      case "binary":
        response.writeHead(200, { "content-type": canned.contentType, "content-length": canned.body.length });
        response.end(canned.body);
        return;
      case "sse-chunks":
        response.writeHead(200, { ...SSE_HEADERS, ...canned.headers });
        if (await writeChunks(response, canned.chunks, canned.delayMs)) response.end();
        return;
      case "slow-first-byte":
        await sleep(canned.delayMs);
        if (!response.destroyed) await respond(canned.then, request, response, markReset);
        return;
      case "reset-before-headers":
        markReset();
        response.socket?.resetAndDestroy();
        return;
      case "reset-mid-stream":
        response.writeHead(200, SSE_HEADERS);
        if (!(await writeChunks(response, canned.chunks))) return;
        // A plain close (FIN) rather than RST, so the client reads every chunk before the truncated body.
        await new Promise<void>((resolve) => response.write("", () => resolve()));
        markReset();
        response.socket?.destroy();
        return;
      case "stall":
        response.writeHead(200, SSE_HEADERS);
        // Node holds headers back until the first body write; a stall with no chunks must still send them.
        response.flushHeaders();
        await writeChunks(response, canned.chunks);
        return;
      case "controlled": {
        const exchange = { request, response };
        const waiter = controlledWaiters.shift();
        if (waiter) waiter(exchange);
        else controlledPending.push(exchange);
        return;
      }
      case "echo-multipart": {
        const model = /name="model"\r?\n\r?\n([^\r\n]*)/.exec(request.body.toString("latin1"))?.[1] ?? null;
        const sha256 = createHash("sha256").update(request.body).digest("hex");
        const text = `transcribed ${request.body.length} bytes for ${model ?? "no model"}`;
        return respond({ type: "json", body: { text, received_model: model, bytes: request.body.length, sha256 } }, request, response, markReset);
      }
      case "chunked-binary":
        response.writeHead(200, { "content-type": canned.contentType, "content-length": canned.body.length });
        for (let offset = 0; offset < canned.body.length; offset += SPEECH_CHUNK_BYTES) {
          // A tick between writes so the client really sees several body chunks.
          if (offset > 0) await new Promise((resolve) => setImmediate(resolve));
          if (response.destroyed) return;
          response.write(canned.body.subarray(offset, offset + SPEECH_CHUNK_BYTES));
        }
        response.end();
        return;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    script(path, ...responses) {
      const queue = queues.get(path) ?? [];
      queue.push(...responses);
      queues.set(path, queue);
    },
    nextControlled() {
      const pending = controlledPending.shift();
      if (pending) return Promise.resolve(pending);
      return new Promise((resolve) => controlledWaiters.push(resolve));
    },
    async waitForRequests(count) {
      while (requests.length < count) await new Promise<void>((resolve) => requestWaiters.push(resolve));
      return requests;
    },
    async close() {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Fixed `created` timestamp so answers are byte-identical between runs. */
const CREATED = 1_700_000_000;

/** The deterministic float vector the default `/v1/embeddings` returns for one input. */
export function scriptedEmbedding(input: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  return Array.from({ length: dimensions }, (_, position) => {
    const word = createHash("sha256").update(`${input}:${position}`).digest().readUInt32LE(0);
    // Rounded to float32 so the float and base64 encodings carry exactly the same values.
    return Math.fround((word / 0xffffffff) * 2 - 1);
  });
}

/** The deterministic bytes the default `/v1/audio/speech` returns for `input`. */
export function scriptedSpeechBytes(input: string): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * 32 < SCRIPTED_SPEECH_BYTES; counter += 1) {
    blocks.push(createHash("sha256").update(`${input}:${counter}`).digest());
  }
  return Buffer.concat(blocks).subarray(0, SCRIPTED_SPEECH_BYTES);
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function openAIError(status: number, message: string, code: string): InternalResponse {
  return { type: "json", status, body: { error: { message, type: "invalid_request_error", param: null, code } } };
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** The OpenAI-like answer for a request that no script claimed. */
function defaultResponse(request: RecordedRequest, streamText: string, models: readonly string[]): InternalResponse {
  const route = `${request.method} ${request.path}`;
  if (route === "GET /v1/models") {
    return { type: "json", body: { object: "list", data: models.map((id) => ({ id, object: "model", created: CREATED, owned_by: "scripted" })) } };
  }
  if (route === "POST /v1/audio/transcriptions") return { type: "echo-multipart" };
  const body = request.json();
  const model = isObject(body) && typeof body["model"] === "string" ? body["model"] : "unknown";
  switch (route) {
    case "POST /v1/chat/completions":
    case "POST /v1/completions":
    case "POST /v1/embeddings":
    case "POST /v1/audio/speech":
      if (!isObject(body)) return openAIError(400, "request body is not a JSON object", "invalid_json");
      if (route === "POST /v1/chat/completions") return chatCompletion(body, model, streamText);
      if (route === "POST /v1/completions") return textCompletion(body, model, streamText);
      if (route === "POST /v1/embeddings") return embeddings(body, model);
      return { type: "chunked-binary", body: scriptedSpeechBytes(String(body["input"] ?? "")), contentType: "audio/mpeg" };
    default:
      return openAIError(404, `the scripted upstream has no route ${route}`, "not_found");
  }
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  const last = messages.filter((message): message is JsonObject => isObject(message) && message["role"] === "user").at(-1);
  const content = last?.["content"];
  if (typeof content === "string") return content;
  // Content parts: join the text parts, ignore images and audio.
  if (Array.isArray(content)) return content.map((part) => (isObject(part) && typeof part["text"] === "string" ? part["text"] : "")).join("");
  return "";
}

/** Splits the stream text at spaces, keeping each space with the word after it. */
function streamPieces(streamText: string): string[] {
  return streamText.split(/(?= )/);
}

function wantsUsage(body: JsonObject): boolean {
  const streamOptions = body["stream_options"];
  return isObject(streamOptions) && streamOptions["include_usage"] === true;
}

function chatCompletion(body: JsonObject, model: string, streamText: string): InternalResponse {
  const prompt = lastUserText(body["messages"]);
  const base = { id: "chatcmpl-scripted", created: CREATED, model };
  if (body["stream"] !== true) {
    const usage = { prompt_tokens: countWords(prompt), completion_tokens: countWords(prompt), total_tokens: 2 * countWords(prompt) };
    const choice = { index: 0, message: { role: "assistant", content: prompt }, logprobs: null, finish_reason: "stop" };
    return { type: "json", body: { ...base, object: "chat.completion", choices: [choice], usage } };
  }
  const chunk = (delta: JsonObject, finishReason: string | null) =>
    sseData({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] });
  const chunks = [chunk({ role: "assistant", content: "" }, null), ...streamPieces(streamText).map((piece) => chunk({ content: piece }, null)), chunk({}, "stop")];
  if (wantsUsage(body)) {
    const completionTokens = countWords(streamText);
    const usage = { prompt_tokens: countWords(prompt), completion_tokens: completionTokens, total_tokens: countWords(prompt) + completionTokens };
    chunks.push(sseData({ ...base, object: "chat.completion.chunk", choices: [], usage }));
  }
  return { type: "sse-chunks", chunks: [...chunks, sseData("[DONE]")] };
}

function textCompletion(body: JsonObject, model: string, streamText: string): InternalResponse {
  const prompt = Array.isArray(body["prompt"]) ? body["prompt"].map(String).join("") : String(body["prompt"] ?? "");
  const base = { id: "cmpl-scripted", object: "text_completion", created: CREATED, model };
  const choice = (text: string, finishReason: string | null) => ({ text, index: 0, logprobs: null, finish_reason: finishReason });
  if (body["stream"] !== true) {
    const usage = { prompt_tokens: countWords(prompt), completion_tokens: countWords(prompt), total_tokens: 2 * countWords(prompt) };
    return { type: "json", body: { ...base, choices: [choice(prompt, "stop")], usage } };
  }
  const pieces = streamPieces(streamText);
  const chunks = pieces.map((piece, position) => sseData({ ...base, choices: [choice(piece, position === pieces.length - 1 ? "stop" : null)] }));
  return { type: "sse-chunks", chunks: [...chunks, sseData("[DONE]")] };
}

function embeddings(body: JsonObject, model: string): InternalResponse {
  const inputs = embeddingInputs(body["input"]);
  if (inputs.length === 0) return openAIError(400, "input must be a string or an array", "invalid_input");
  const dimensions = typeof body["dimensions"] === "number" ? body["dimensions"] : DEFAULT_EMBEDDING_DIMENSIONS;
  const asBase64 = body["encoding_format"] === "base64";
  const data = inputs.map((text, index) => {
    const vector = scriptedEmbedding(text, dimensions);
    if (!asBase64) return { object: "embedding", index, embedding: vector };
    const bytes = Buffer.alloc(vector.length * 4);
    vector.forEach((value, position) => bytes.writeFloatLE(value, position * 4));
    return { object: "embedding", index, embedding: bytes.toString("base64") };
  });
  const promptTokens = inputs.reduce((total, text) => total + countWords(text), 0);
  return { type: "json", body: { object: "list", data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } } };
}

/** One text per input; token-id inputs (number[] or number[][]) are embedded through their JSON text. */
function embeddingInputs(input: unknown): string[] {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input)) return [];
  if (input.every((item) => typeof item === "number")) return [JSON.stringify(input)];
  return input.map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
}
