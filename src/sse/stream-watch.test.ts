import { describe, expect, it } from "vitest";
import { ChatStreamWatch } from "./stream-watch.js";

const encoder = new TextEncoder();

/** Feeds `stream` to a fresh watch in chunks of `size` bytes, then ends it. */
function watch(stream: string, size = 7): ChatStreamWatch {
  const streamWatch = new ChatStreamWatch();
  const bytes = encoder.encode(stream);
  for (let offset = 0; offset < bytes.length; offset += size) streamWatch.observe(bytes.subarray(offset, offset + size));
  streamWatch.end();
  return streamWatch;
}

const events = (...lines: string[]): string => lines.map((line) => `${line}\n\n`).join("");

// Hand-written in each server's stream shape (not recordings); the same shapes as the decoder's
// fixtures in sse-decoder.test.ts.
const openaiUsage = {
  prompt_tokens: 9,
  completion_tokens: 4,
  total_tokens: 13,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};
const openaiChat = events(
  'data: {"id":"chatcmpl-B9M","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}',
  'data: {"id":"chatcmpl-B9M","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"Grüß dich 👋"},"logprobs":null,"finish_reason":null}],"usage":null}',
  'data: {"id":"chatcmpl-B9M","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}',
  `data: {"id":"chatcmpl-B9M","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-2024-08-06","choices":[],"usage":${JSON.stringify(openaiUsage)}}`,
  "data: [DONE]",
);
const ollama = events(
  'data: {"id":"chatcmpl-527","object":"chat.completion.chunk","created":1739900000,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}',
  'data: {"id":"chatcmpl-527","object":"chat.completion.chunk","created":1739900001,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}',
  "data: [DONE]",
);
const llamaCppPing = [
  ": ping - 2025-02-18 17:06:40.123456+00:00",
  "",
  'data: {"id":"chatcmpl-6f0b","object":"chat.completion.chunk","created":1739898400,"model":"qwen2.5-0.5b-instruct","choices":[{"index":0,"delta":{"content":"Ça va"},"logprobs":null,"finish_reason":null}]}',
  "",
  ": ping - 2025-02-18 17:06:55.123456+00:00",
  "",
  'data: {"id":"chatcmpl-6f0b","object":"chat.completion.chunk","created":1739898400,"model":"qwen2.5-0.5b-instruct","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}]}',
  "",
  "data: [DONE]",
  "",
  "",
].join("\r\n");
const openRouter = events(
  ": OPENROUTER PROCESSING",
  'data: {"id":"gen-17399-Qx3","provider":"Together","model":"meta-llama/llama-3.3-70b-instruct","object":"chat.completion.chunk","created":1739900000,"choices":[{"index":0,"delta":{"role":"assistant","content":"Bonjour"},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}',
  'data: {"id":"gen-17399-Qx3","provider":"Together","model":"meta-llama/llama-3.3-70b-instruct","object":"chat.completion.chunk","created":1739900000,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop","native_finish_reason":"stop","logprobs":null}]}',
  'data: {"id":"gen-17399-Qx3","provider":"Together","model":"meta-llama/llama-3.3-70b-instruct","object":"chat.completion.chunk","created":1739900000,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}',
  "data: [DONE]",
);
/** vLLM with `continuous_usage_stats`: usage on every chunk, so the last one is what counts. */
const vllm = events(
  'data: {"id":"chatcmpl-9f1c","object":"chat.completion.chunk","created":1739900000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":"你好"},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":12,"total_tokens":13,"completion_tokens":1}}',
  'data: {"id":"chatcmpl-9f1c","object":"chat.completion.chunk","created":1739900000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}],"usage":{"prompt_tokens":12,"total_tokens":15,"completion_tokens":3}}',
  "data: [DONE]",
);
/** Ends after the finish-reason chunk, with no `[DONE]` and no closing blank line. */
const missingDone =
  'data: {"id":"cmpl-01","object":"chat.completion.chunk","created":1739900000,"model":"local-model","choices":[{"index":0,"delta":{"content":"Done"},"finish_reason":null}]}\n\n' +
  'data: {"id":"cmpl-01","object":"chat.completion.chunk","created":1739900000,"model":"local-model","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n';
/** The connection drops in the middle of an answer. */
const cutMidAnswer =
  'data: {"id":"chatcmpl-77","object":"chat.completion.chunk","created":1739900000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"The answer"},"finish_reason":null}]}\n\n' +
  'data: {"id":"chatcmpl-77","object":"chat.completion.chunk","created":1739900000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" is';
const inBandErrorBody = { message: "The server had an error while processing your request.", type: "server_error", code: 500 };
const inBandError = events(
  'data: {"id":"chatcmpl-77","object":"chat.completion.chunk","created":1739900000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Partial"},"finish_reason":null}]}',
  `data: ${JSON.stringify({ error: inBandErrorBody })}`,
);

describe("ChatStreamWatch end of stream", () => {
  it.each([
    ["OpenAI", openaiChat],
    ["Ollama", ollama],
    ["llama.cpp with `: ping` comments", llamaCppPing],
    ["OpenRouter with processing comments", openRouter],
    ["vLLM", vllm],
  ])("sees [DONE] and a finish reason in a complete %s stream", (_name, stream) => {
    const streamWatch = watch(stream);
    expect(streamWatch.sawDone).toBe(true);
    expect(streamWatch.sawFinishReason).toBe(true);
    expect(streamWatch.endedCleanly()).toBe(true);
    expect(streamWatch.inBandError).toBeUndefined();
    expect(streamWatch.malformedMessages).toBe(0);
  });

  it("counts a stream with a finish reason but no [DONE] as ended cleanly", () => {
    const streamWatch = watch(missingDone);
    expect(streamWatch.sawDone).toBe(false);
    expect(streamWatch.sawFinishReason).toBe(true);
    expect(streamWatch.endedCleanly()).toBe(true);
  });

  it("does not count a stream cut mid-answer as ended cleanly", () => {
    const streamWatch = watch(cutMidAnswer);
    expect(streamWatch.sawDone).toBe(false);
    expect(streamWatch.sawFinishReason).toBe(false);
    expect(streamWatch.endedCleanly()).toBe(false);
  });

  it("ignores null and empty finish reasons", () => {
    const streamWatch = watch(events('data: {"choices":[{"finish_reason":null},{"finish_reason":""}]}'));
    expect(streamWatch.sawFinishReason).toBe(false);
  });

  it("finds a finish reason on any choice when n > 1", () => {
    const streamWatch = watch(events('data: {"choices":[{"index":0,"finish_reason":null},{"index":1,"finish_reason":"stop"}]}'));
    expect(streamWatch.sawFinishReason).toBe(true);
  });

  it("sees a last event sent without its blank line only once end() is called", () => {
    const streamWatch = new ChatStreamWatch();
    streamWatch.observe(encoder.encode("data: [DONE]\n"));
    expect(streamWatch.sawDone).toBe(false);
    streamWatch.end();
    expect(streamWatch.sawDone).toBe(true);
  });
});

describe("ChatStreamWatch in-band errors", () => {
  it("reports the parsed error object of an in-band error event", () => {
    const streamWatch = watch(inBandError);
    expect(streamWatch.inBandError).toEqual(inBandErrorBody);
    expect(streamWatch.endedCleanly()).toBe(false);
  });

  it("reads vLLM's error with spaces after the colons", () => {
    const error = { object: "error", message: "max_tokens is too large", type: "BadRequestError", param: null, code: 400 };
    const stream = events('data: {"error": {"object": "error", "message": "max_tokens is too large", "type": "BadRequestError", "param": null, "code": 400}}');
    expect(watch(stream).inBandError).toEqual(error);
  });

  it("reports OpenRouter's mid-stream error beside its error finish reason", () => {
    const streamWatch = watch(
      events(
        'data: {"id":"gen-1","object":"chat.completion.chunk","created":1739900000,"model":"openai/gpt-4o","provider":"OpenAI","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}',
      ),
    );
    expect(streamWatch.inBandError).toEqual({ code: "server_error", message: "Provider disconnected unexpectedly" });
    expect(streamWatch.sawFinishReason).toBe(true);
  });

  it("keeps the first error and ignores a null one", () => {
    const streamWatch = watch(events('data: {"error":null}', 'data: {"error":{"message":"first"}}', 'data: {"error":{"message":"second"}}'));
    expect(streamWatch.inBandError).toEqual({ message: "first" });
  });

  it("does not mistake an error finish reason or error text for an error object", () => {
    const streamWatch = watch(events('data: {"choices":[{"delta":{"content":"say \\"error\\": yes"},"finish_reason":"error"}]}'));
    expect(streamWatch.inBandError).toBeUndefined();
  });
});

describe("ChatStreamWatch usage", () => {
  it("keeps OpenAI's usage from the last chunk despite `usage: null` on the others", () => {
    expect(watch(openaiChat).usage).toEqual(openaiUsage);
  });

  it("keeps the last usage when every chunk carries one (vLLM continuous usage)", () => {
    expect(watch(vllm).usage).toEqual({ prompt_tokens: 12, total_tokens: 15, completion_tokens: 3 });
  });

  it("keeps usage sent after the finish reason (OpenRouter)", () => {
    expect(watch(openRouter).usage).toEqual({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 });
  });

  it("has no usage when the stream sent none", () => {
    expect(watch(ollama).usage).toBeUndefined();
  });
});

describe("ChatStreamWatch cost and safety", () => {
  it("counts malformed JSON it had to parse and carries on", () => {
    const streamWatch = watch(events('data: {"choices":[{"finish_reason":"stop"', "data: [DONE]"));
    expect(streamWatch.malformedMessages).toBe(1);
    expect(streamWatch.sawFinishReason).toBe(false);
    expect(streamWatch.sawDone).toBe(true);
  });

  it("does not parse content deltas that cannot hold what it reports", () => {
    // Malformed, but with only null finish_reason/usage, so the pre-check never parses it.
    const streamWatch = watch(events('data: {"choices":[{"delta":{"content":"x"},"finish_reason":null}],"usage":null'));
    expect(streamWatch.malformedMessages).toBe(0);
  });

  it("neither changes nor keeps the chunks it observes", () => {
    const streamWatch = new ChatStreamWatch();
    const chunk = encoder.encode('data: {"choices":[{"finish_reason":"st');
    const copy = chunk.slice();
    streamWatch.observe(chunk);
    expect(chunk).toEqual(copy);
    chunk.fill(0x20); // the relay's buffer is reused
    streamWatch.observe(encoder.encode('op"}]}\n\n'));
    expect(streamWatch.sawFinishReason).toBe(true);
  });
});
