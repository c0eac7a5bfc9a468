/**
 * @module bench/upstream
 * The fast local upstream every benchmark path talks to: plain `node:http`, fixed answers, no
 * parsing beyond finding `"stream": true`, so that it costs far less than any proxy in front of it.
 * Payload sizes match the project's gateway-overhead measurements: a 517-byte chat completion, a
 * 50-chunk SSE stream + `[DONE]` (~12 KB) and a ~17 KB embedding.
 * Prints `bench upstream listening on http://127.0.0.1:PORT` once ready.
 */
import { createServer } from "node:http";
import { setImmediate } from "node:timers";

/** Target size of the non-streaming chat answer, as measured in the reference runs. */
const CHAT_BYTES = 517;
/** Content chunks per stream, before `[DONE]`. */
const STREAM_CHUNKS = 50;
/** A 1536-dimension vector (text-embedding-3-small) serialises to ~17 KB. */
const EMBEDDING_DIMENSIONS = 1536;

/** Pads the assistant text until the serialised completion is exactly `CHAT_BYTES` long. */
function buildChatCompletion() {
  const completion = {
    id: "chatcmpl-bench0000000000000000000000",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "bench-model",
    choices: [{ index: 0, message: { role: "assistant", content: "" }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 14, completion_tokens: 42, total_tokens: 56 },
    system_fingerprint: "fp_bench",
  };
  const filler = "Hello! This is a fixed answer from the benchmark upstream. ";
  let text = "";
  while (Buffer.byteLength(JSON.stringify(completion)) < CHAT_BYTES) {
    text += filler[text.length % filler.length];
    completion.choices[0].message.content = text;
  }
  return Buffer.from(JSON.stringify(completion));
}

function buildStreamChunks() {
  const chunks = [];
  for (let index = 0; index < STREAM_CHUNKS; index += 1) {
    const delta = index === 0 ? { role: "assistant", content: "" } : { content: ` token-${String(index).padStart(3, "0")} of a steady stream` };
    const chunk = { id: "chatcmpl-bench0000000000000000000000", object: "chat.completion.chunk", created: 1_700_000_000, model: "bench-model", choices: [{ index: 0, delta, logprobs: null, finish_reason: index === STREAM_CHUNKS - 1 ? "stop" : null }] };
    chunks.push(Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`));
  }
  chunks.push(Buffer.from("data: [DONE]\n\n"));
  return chunks;
}

function buildEmbeddings() {
  // Deterministic values with the digit count real float32 embeddings print with.
  const embedding = Array.from({ length: EMBEDDING_DIMENSIONS }, (_, index) => Number((Math.sin(index * 12.9898) * 0.05).toFixed(8)));
  return Buffer.from(JSON.stringify({ object: "list", data: [{ object: "embedding", index: 0, embedding }], model: "bench-model", usage: { prompt_tokens: 9, total_tokens: 9 } }));
}

const chatCompletion = buildChatCompletion();
const streamChunks = buildStreamChunks();
const embeddings = buildEmbeddings();
const STREAM_PATTERN = /"stream"\s*:\s*true/;

/**
 * One chunk per event-loop turn, as a model server emits tokens. Writes made in the same tick are
 * corked into one `writev` by node:http, which would hand the proxy the whole stream in one read.
 */
function writeChunks(response, index) {
  if (response.destroyed) return;
  if (index === streamChunks.length) {
    response.end();
    return;
  }
  response.write(streamChunks[index]);
  setImmediate(writeChunks, response, index + 1);
}

const server = createServer((request, response) => {
  const parts = [];
  request.on("data", (part) => parts.push(part));
  request.on("end", () => {
    const path = request.url ?? "/";
    if (request.method === "POST" && path.startsWith("/v1/chat/completions")) {
      if (STREAM_PATTERN.test(Buffer.concat(parts).toString("latin1"))) {
        response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        writeChunks(response, 0);
        return;
      }
      response.writeHead(200, { "content-type": "application/json", "content-length": chatCompletion.length });
      response.end(chatCompletion);
      return;
    }
    if (request.method === "POST" && path.startsWith("/v1/embeddings")) {
      response.writeHead(200, { "content-type": "application/json", "content-length": embeddings.length });
      response.end(embeddings);
      return;
    }
    const notFound = JSON.stringify({ error: { message: `no route ${request.method} ${path}`, type: "invalid_request_error", param: null, code: "not_found" } });
    response.writeHead(404, { "content-type": "application/json", "content-length": Buffer.byteLength(notFound) });
    response.end(notFound);
  });
});

// Longer than any pause between benchmark runs, so proxies keep their pooled connections.
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  console.log(`bench upstream listening on http://127.0.0.1:${server.address().port} (chat ${chatCompletion.length} B, stream ${streamChunks.reduce((total, chunk) => total + chunk.length, 0)} B, embeddings ${embeddings.length} B)`);
});
process.on("SIGTERM", () => process.exit(0));
