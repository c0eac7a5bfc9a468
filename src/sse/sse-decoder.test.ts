import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SseDecoder, type SseMessage } from "./sse-decoder.js";

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);

/** Decodes a stream delivered as the given chunks, including the end-of-stream flush. */
function decodeChunks(chunks: readonly Uint8Array[]): SseMessage[] {
  const decoder = new SseDecoder();
  return [...chunks.flatMap((chunk) => decoder.push(chunk)), ...decoder.end()];
}

const decodeText = (...chunks: string[]): SseMessage[] => decodeChunks(chunks.map(bytes));
const dataOf = (messages: readonly SseMessage[]): string[] => messages.map((message) => message.data);
const message = (data: string, event?: string, id?: string): SseMessage => ({ event, data, id });

/** Cuts `stream` into chunks of the given sizes, repeating the list until the stream is used up. */
function cut(stream: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0, index = 0; offset < stream.length; index += 1) {
    const size = Math.max(1, sizes[index % sizes.length] ?? 1);
    chunks.push(stream.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** The `delta.content` pieces of decoded chat chunks, joined: what a client would display. */
function answerText(messages: readonly SseMessage[]): string {
  let text = "";
  for (const { data } of messages) {
    if (data === "[DONE]") continue;
    const chunk = JSON.parse(data) as { choices?: { delta?: { content?: string } }[] };
    for (const choice of chunk.choices ?? []) text += choice.delta?.content ?? "";
  }
  return text;
}

// Hand-written to match each server's documented and commonly observed stream shape (not
// recordings): field order, keep-alive comments, line endings and closing behaviour.
const fixtures = {
  /** OpenAI with `stream_options.include_usage`: `"usage":null` on every chunk, usage last. */
  openaiChat: [
    'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_eb9dce56a8","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}',
    "",
    'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_eb9dce56a8","choices":[{"index":0,"delta":{"content":"Grüß"},"logprobs":null,"finish_reason":null}],"usage":null}',
    "",
    'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_eb9dce56a8","choices":[{"index":0,"delta":{"content":" dich 👋"},"logprobs":null,"finish_reason":null}],"usage":null}',
    "",
    'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_eb9dce56a8","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}',
    "",
    'data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_eb9dce56a8","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}',
    "",
    "data: [DONE]",
    "",
    "",
  ].join("\n"),
  /** Ollama's OpenAI-compatible `/v1/chat/completions`. */
  ollama: [
    'data: {"id":"chatcmpl-527","object":"chat.completion.chunk","created":1739900000,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}',
    "",
    'data: {"id":"chatcmpl-527","object":"chat.completion.chunk","created":1739900000,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":" there"},"finish_reason":null}]}',
    "",
    'data: {"id":"chatcmpl-527","object":"chat.completion.chunk","created":1739900001,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}',
    "",
    "data: [DONE]",
    "",
    "",
  ].join("\n"),
  /** llama.cpp through llama-cpp-python's sse-starlette server: CRLF endings, `: ping` keep-alives. */
  llamaCppPing: [
    ": ping - 2025-02-18 17:06:40.123456+00:00",
    "",
    'data: {"id":"chatcmpl-6f0b4c2e","object":"chat.completion.chunk","created":1739898400,"model":"qwen2.5-0.5b-instruct-q4_k_m.gguf","choices":[{"index":0,"delta":{"role":"assistant"},"logprobs":null,"finish_reason":null}]}',
    "",
    ": ping - 2025-02-18 17:06:55.123456+00:00",
    "",
    'data: {"id":"chatcmpl-6f0b4c2e","object":"chat.completion.chunk","created":1739898400,"model":"qwen2.5-0.5b-instruct-q4_k_m.gguf","choices":[{"index":0,"delta":{"content":"Ça va"},"logprobs":null,"finish_reason":null}]}',
    "",
    'data: {"id":"chatcmpl-6f0b4c2e","object":"chat.completion.chunk","created":1739898400,"model":"qwen2.5-0.5b-instruct-q4_k_m.gguf","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}',
    "",
    "data: [DONE]",
    "",
    "",
  ].join("\r\n"),
  /** OpenRouter: `: OPENROUTER PROCESSING` comments while the provider is queued, usage in a last chunk. */
  openRouter: [
    ": OPENROUTER PROCESSING",
    "",
    ": OPENROUTER PROCESSING",
    "",
    'data: {"id":"gen-1739900000-Qx3","provider":"Together","model":"meta-llama/llama-3.3-70b-instruct","object":"chat.completion.chunk","created":1739900000,"choices":[{"index":0,"delta":{"role":"assistant","content":"Bonjour"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}',
    "",
    'data: {"id":"gen-1739900000-Qx3","provider":"Together","model":"meta-llama/llama-3.3-70b-instruct","object":"chat.completion.chunk","created":1739900000,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop","native_finish_reason":"stop","logprobs":null}]}',
    "",
    'data: {"id":"gen-1739900000-Qx3","provider":"Together","model":"meta-llama/llama-3.3-70b-instruct","object":"chat.completion.chunk","created":1739900000,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}',
    "",
    "data: [DONE]",
    "",
    "",
  ].join("\n"),
  /** vLLM with include_usage: `stop_reason` beside `finish_reason`, usage in a chunk with no choices. */
  vllm: [
    'data: {"id":"chatcmpl-9f1c2a7e0b","object":"chat.completion.chunk","created":1739900000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}',
    "",
    'data: {"id":"chatcmpl-9f1c2a7e0b","object":"chat.completion.chunk","created":1739900000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":"你好"},"logprobs":null,"finish_reason":null}]}',
    "",
    'data: {"id":"chatcmpl-9f1c2a7e0b","object":"chat.completion.chunk","created":1739900000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}',
    "",
    'data: {"id":"chatcmpl-9f1c2a7e0b","object":"chat.completion.chunk","created":1739900000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[],"usage":{"prompt_tokens":12,"total_tokens":15,"completion_tokens":3}}',
    "",
    "data: [DONE]",
    "",
    "",
  ].join("\n"),
  /** A server that ends after the finish-reason chunk: no `[DONE]`, and no closing blank line either. */
  missingDone: [
    'data: {"id":"cmpl-01","object":"chat.completion.chunk","created":1739900000,"model":"local-model","choices":[{"index":0,"delta":{"content":"Done"},"finish_reason":null}]}',
    "",
    'data: {"id":"cmpl-01","object":"chat.completion.chunk","created":1739900000,"model":"local-model","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
    "",
  ].join("\n"),
  /** A mid-stream failure reported in band, in the shape the official SDK raises as APIError. */
  inBandError: [
    'data: {"id":"chatcmpl-77","object":"chat.completion.chunk","created":1739900000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Partial"},"finish_reason":null}]}',
    "",
    'data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","code":500}}',
    "",
    "",
  ].join("\n"),
} as const;

describe("SseDecoder line endings", () => {
  it.each([
    ["LF", "\n"],
    ["CR", "\r"],
    ["CRLF", "\r\n"],
  ])("ends lines and events on %s", (_name, ending) => {
    const stream = `event: delta${ending}data: one${ending}data: two${ending}${ending}data: three${ending}${ending}`;
    expect(decodeText(stream)).toEqual([message("one\ntwo", "delta"), message("three")]);
  });

  it("treats a CRLF split across two chunks as one line ending", () => {
    // Read as two endings, the LF would be a blank line and dispatch "a" on its own.
    expect(decodeText("data: a\r", "\ndata: b\r\n\r\n")).toEqual([message("a\nb")]);
  });

  it("keeps waiting for the LF of a CRLF across an empty chunk", () => {
    expect(decodeText("data: a\r", "", "\ndata: b\n\n")).toEqual([message("a\nb")]);
  });

  it("ends a line at a CR that closes a chunk without waiting for the next chunk", () => {
    const decoder = new SseDecoder();
    expect(decoder.push(bytes("data: a\r\r"))).toEqual([message("a")]);
    expect(decoder.push(bytes("data: b\r"))).toEqual([]);
    expect(decoder.push(bytes("\r"))).toEqual([message("b")]);
  });

  it("accepts mixed line endings in one stream", () => {
    expect(decodeText("data: a\r\ndata: b\rdata: c\n\r\n")).toEqual([message("a\nb\nc")]);
  });
});

describe("SseDecoder fields", () => {
  it("ignores comment lines, including one between data lines", () => {
    expect(decodeText(":\n: ping\n\ndata: a\n: keep-alive\ndata: b\n\n")).toEqual([message("a\nb")]);
  });

  it("joins multi-line data with LF", () => {
    expect(decodeText("data: {\ndata:  \"a\": 1\ndata: }\n\n")).toEqual([message('{\n "a": 1\n}')]);
  });

  it("strips exactly one space after the colon", () => {
    expect(dataOf(decodeText("data:x\n\ndata: x\n\ndata:  x\n\n"))).toEqual(["x", "x", " x"]);
  });

  it("reads a line without a colon as a field with an empty value", () => {
    expect(decodeText("data\ndata\n\nevent\ndata: x\n\n")).toEqual([message("\n"), message("x")]);
  });

  it("keeps colons after the first one in the value", () => {
    expect(decodeText('data: {"url":"http://x"}\n\n')).toEqual([message('{"url":"http://x"}')]);
  });

  it("reports event and id per event and does not carry them to the next one", () => {
    expect(decodeText("event: error\nid: 7\ndata: x\n\ndata: y\n\n")).toEqual([message("x", "error", "7"), message("y")]);
  });

  it("ignores an id containing NUL, unknown fields and retry", () => {
    expect(decodeText("id: a\0b\nretry: 1000\nfoo: bar\ndata: x\n\n")).toEqual([message("x")]);
  });

  it("dispatches nothing for an event without data and forgets its event name", () => {
    expect(decodeText("event: ping\n\ndata: x\n\n")).toEqual([message("x")]);
  });
});

describe("SseDecoder end of stream", () => {
  it("flushes a last event that has data but no closing blank line", () => {
    expect(decodeText("data: a\n\ndata: b\n")).toEqual([message("a"), message("b")]);
  });

  it("flushes a last line that has no line ending", () => {
    expect(decodeText("data: a\n\nevent: x\ndata: b")).toEqual([message("a"), message("b", "x")]);
  });

  it("drops a pending event that has no data", () => {
    const decoder = new SseDecoder();
    expect(decoder.push(bytes("event: x\nid: 1\n"))).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it("starts a fresh stream after end()", () => {
    const decoder = new SseDecoder();
    decoder.push(bytes("data: a\r"));
    expect(decoder.end()).toEqual([message("a")]);
    expect([...decoder.push(bytes("\uFEFF\ndata: b\n\n")), ...decoder.end()]).toEqual([message("b")]);
  });
});

describe("SseDecoder bytes", () => {
  it("decodes multi-byte characters split across chunks at every byte", () => {
    const stream = bytes("data: 👋 Grüß 你好\n\n");
    for (let offset = 0; offset <= stream.length; offset += 1) {
      expect(decodeChunks([stream.subarray(0, offset), stream.subarray(offset)])).toEqual([message("👋 Grüß 你好")]);
    }
  });

  it("strips a BOM at the start of the stream, even when split across chunks", () => {
    const stream = bytes("\uFEFFdata: x\n\n");
    expect(decodeChunks([stream])).toEqual([message("x")]);
    expect(decodeChunks([stream.subarray(0, 1), stream.subarray(1, 2), stream.subarray(2)])).toEqual([message("x")]);
  });

  it("strips a BOM only at the start of the stream", () => {
    // A BOM later on is part of the field name, so the line is an unknown field.
    expect(decodeText("data: a\n\n\uFEFFdata: b\n\n")).toEqual([message("a")]);
    expect(decodeText("data: a\uFEFF\n\n")).toEqual([message("a\uFEFF")]);
  });

  it("strips a BOM before a comment or a blank line at the start", () => {
    expect(decodeText("\uFEFF: hi\ndata: x\n\n")).toEqual([message("x")]);
    expect(decodeText("\uFEFF\ndata: x\n\n")).toEqual([message("x")]);
  });

  it("neither changes nor keeps the caller's chunk", () => {
    const decoder = new SseDecoder();
    const chunk = bytes("data: a\n\ndata: bc");
    const copy = chunk.slice();
    decoder.push(chunk);
    expect(chunk).toEqual(copy);
    chunk.fill(0x21); // the caller reuses its buffer
    expect([...decoder.push(bytes("d\n\n")), ...decoder.end()]).toEqual([message("bcd")]);
  });

  it("joins a long line that arrives one byte at a time", () => {
    const data = "x".repeat(100_000);
    const stream = bytes(`data: ${data}\n\n`);
    const chunks = Array.from({ length: stream.length }, (_, index) => stream.subarray(index, index + 1));
    expect(decodeChunks(chunks)).toEqual([message(data)]);
  });
});

describe("SseDecoder upstream fixtures", () => {
  it("decodes an OpenAI chat stream with usage", () => {
    const messages = decodeText(fixtures.openaiChat);
    expect(messages).toHaveLength(6);
    expect(answerText(messages)).toBe("Grüß dich 👋");
    expect(messages.at(-1)).toEqual(message("[DONE]"));
  });

  it("decodes an Ollama stream", () => {
    const messages = decodeText(fixtures.ollama);
    expect(answerText(messages)).toBe("Hello there");
    expect(dataOf(messages).at(-1)).toBe("[DONE]");
  });

  it("skips llama.cpp `: ping` keep-alives in a CRLF stream", () => {
    const messages = decodeText(fixtures.llamaCppPing);
    expect(messages).toHaveLength(4);
    expect(answerText(messages)).toBe("Ça va");
    expect(dataOf(messages).some((data) => data.includes("ping"))).toBe(false);
  });

  it("skips OpenRouter `: OPENROUTER PROCESSING` comments", () => {
    const messages = decodeText(fixtures.openRouter);
    expect(messages).toHaveLength(4);
    expect(answerText(messages)).toBe("Bonjour");
  });

  it("decodes a vLLM stream", () => {
    const messages = decodeText(fixtures.vllm);
    expect(messages).toHaveLength(5);
    expect(answerText(messages)).toBe("你好");
  });

  it("decodes a stream that omits [DONE] and its last blank line", () => {
    const messages = decodeText(fixtures.missingDone);
    expect(messages).toHaveLength(2);
    expect(dataOf(messages)).not.toContain("[DONE]");
    expect(messages.at(-1)?.data).toContain('"finish_reason":"stop"');
  });

  it("decodes an in-band error event", () => {
    const messages = decodeText(fixtures.inBandError);
    expect(JSON.parse(messages.at(-1)?.data ?? "")).toEqual({
      error: { message: "The server had an error while processing your request.", type: "server_error", code: 500 },
    });
  });
});

describe("SseDecoder chunking", () => {
  // Every fixture back to back (the one without a closing blank line last, so no events merge),
  // after a BOM and with a multi-line CRLF event, so that every edge case meets a chunk boundary.
  const { missingDone, ...closed } = fixtures;
  const stream = bytes(`\uFEFF${Object.values(closed).join("")}event: note\r\nid: 1\r\ndata: a\r\ndata: b\rdata: c\r\n\r\n${missingDone}`);
  const expected = decodeChunks([stream]);

  it("decodes the combined stream whole as the fixtures one by one", () => {
    const separately = [...Object.values(closed).flatMap((fixture) => decodeText(fixture)), message("a\nb\nc", "note", "1"), ...decodeText(missingDone)];
    expect(expected).toEqual(separately);
  });

  it("yields the same messages whatever single offset the stream is cut at", () => {
    for (let offset = 0; offset <= stream.length; offset += 1) {
      expect(decodeChunks([stream.subarray(0, offset), stream.subarray(offset)])).toEqual(expected);
    }
  });

  it("yields the same messages when fed one byte at a time", () => {
    expect(decodeChunks(cut(stream, [1]))).toEqual(expected);
  });

  it("yields the same messages for random chunk sizes (fixed seed)", () => {
    fc.assert(
      // size "max": fast-check otherwise keeps arrays short, and the cuts would bunch at the start.
      fc.property(fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 300, size: "max" }), (sizes) => {
        expect(decodeChunks(cut(stream, sizes))).toEqual(expected);
      }),
      { seed: 20_250_218, numRuns: 300 },
    );
  });
});
