import { readFileSync } from "node:fs";
import fc from "fast-check";
import OpenAI, { APIError } from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { AnthropicStreamTranslator, type AnthropicStreamOptions } from "./anthropic-stream-translator.js";

const FIXTURES = ["anthropic-text.sse", "anthropic-tool-use.sse", "anthropic-thinking.sse", "anthropic-error-overloaded.sse"] as const;

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));
}

const OPTIONS: AnthropicStreamOptions = { includeUsage: true, created: 1700000000 };

/** Runs bytes through a fresh translator, cut into the given pieces. */
function translate(pieces: readonly Uint8Array[], options: AnthropicStreamOptions = OPTIONS): { output: string; translator: AnthropicStreamTranslator } {
  const translator = new AnthropicStreamTranslator(options);
  const parts = pieces.map((piece) => translator.push(piece));
  parts.push(translator.end());
  return { output: Buffer.concat(parts).toString("utf8"), translator };
}

function splitAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const cuts = [...new Set(offsets)].sort((first, second) => first - second);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

/** The `data:` payloads of an OpenAI-style stream. */
function payloads(output: string): string[] {
  return output
    .split("\n\n")
    .filter((event) => event !== "")
    .map((event) => {
      expect(event.startsWith("data: ")).toBe(true);
      return event.slice("data: ".length);
    });
}

function chunks(output: string): ChatCompletionChunk[] {
  return payloads(output)
    .filter((data) => data !== "[DONE]")
    .map((data) => JSON.parse(data) as ChatCompletionChunk);
}

/** An OpenAI SDK client whose "server" answers with the given SSE bytes; no socket is opened. */
function sdkClientAnswering(body: string): OpenAI {
  return new OpenAI({
    apiKey: "sk-test",
    baseURL: "http://127.0.0.1:9/v1",
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } }),
  });
}

describe("AnthropicStreamTranslator on Anthropic's documented streams", () => {
  it("translates the basic text stream byte for byte, with the usage chunk and [DONE]", () => {
    const { output, translator } = translate([fixture("anthropic-text.sse")]);
    const head = '{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","object":"chat.completion.chunk","created":1700000000,"model":"claude-opus-4-8"';
    const choice = (delta: string, finish: string) => `"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}],"usage":null}`;
    expect(output).toBe(
      [
        `data: ${head},${choice('{"role":"assistant","content":""}', "null")}\n\n`,
        `data: ${head},${choice('{"content":"Hello"}', "null")}\n\n`,
        `data: ${head},${choice('{"content":"!"}', "null")}\n\n`,
        `data: ${head},${choice("{}", '"stop"')}\n\n`,
        `data: ${head},"choices":[],"usage":{"prompt_tokens":25,"completion_tokens":15,"total_tokens":40}}\n\n`,
        "data: [DONE]\n\n",
      ].join(""),
    );
    expect(translator.finished).toBe(true);
    expect(translator.usage).toEqual({ prompt_tokens: 25, completion_tokens: 15, total_tokens: 40 });
  });

  it("streams tool-call arguments as indexed deltas and finishes with tool_calls", () => {
    const { output } = translate([fixture("anthropic-tool-use.sse")]);
    const toolDeltas = chunks(output).flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    expect(toolDeltas).toEqual([
      { index: 0, id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", type: "function", function: { name: "get_weather", arguments: "" } },
      { index: 0, function: { arguments: '{"location":' } },
      { index: 0, function: { arguments: ' "San' } },
      { index: 0, function: { arguments: " Francisc" } },
      { index: 0, function: { arguments: "o," } },
      { index: 0, function: { arguments: ' CA"}' } },
    ]);
    const text = chunks(output).map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Okay, let's check the weather for San Francisco, CA:");
    expect(chunks(output).at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(chunks(output).at(-1)?.usage).toEqual({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561 });
    expect(payloads(output).at(-1)).toBe("[DONE]");
  });

  it("forwards thinking as reasoning_content and leaves out the usage chunk when Anthropic sent no usage", () => {
    const { output, translator } = translate([fixture("anthropic-thinking.sse")]);
    const deltas = chunks(output).map((chunk) => chunk.choices[0]?.delta as Record<string, unknown> | undefined);
    const reasoning = deltas.map((delta) => delta?.["reasoning_content"] ?? "").join("");
    expect(reasoning).toBe("I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0\nThe remainder is 0, so GCD(1071, 462) = 21.");
    expect(deltas.map((delta) => delta?.["content"] ?? "").join("")).toBe("The greatest common divisor of 1071 and 462 is **21**.");
    expect(output).not.toContain("signature");
    expect(chunks(output).every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(translator.usage).toBeUndefined();
    expect(payloads(output).at(-1)).toBe("[DONE]");
  });

  it("can put thinking in a field named reasoning instead", () => {
    const { output } = translate([fixture("anthropic-thinking.sse")], { ...OPTIONS, reasoningField: "reasoning" });
    expect(output).toContain('"delta":{"reasoning":"\\n462 = 3 × 147 + 21"}');
    expect(output).not.toContain("reasoning_content");
  });

  it("surfaces an in-band error as one OpenAI error event with no [DONE]", () => {
    const { output, translator } = translate([fixture("anthropic-error-overloaded.sse")]);
    const events = payloads(output);
    expect(events.at(-1)).toBe('{"error":{"message":"Overloaded","type":"server_error","param":null,"code":"overloaded_error"}}');
    expect(events).not.toContain("[DONE]");
    const finishReasons = chunks(output).flatMap((chunk) => (chunk.choices ?? []).map((choice) => choice.finish_reason));
    expect(finishReasons.filter((reason) => reason !== null)).toEqual([]);
    expect(translator.failure).toMatchObject({ status: 529, retryable: true });
  });

  it("leaves usage out of the chunks when the client did not ask, but still counts it", () => {
    const { output, translator } = translate([fixture("anthropic-text.sse")], { includeUsage: false, created: 1 });
    expect(output).not.toContain('"usage"');
    expect(translator.usage?.total_tokens).toBe(40);
  });

  it("reports the client's model name when one is given", () => {
    const { output } = translate([fixture("anthropic-text.sse")], { ...OPTIONS, model: "anthropic/opus" });
    expect(chunks(output).every((chunk) => chunk.model === "anthropic/opus")).toBe(true);
  });
});

describe("AnthropicStreamTranslator: chunk boundaries", () => {
  it.each(FIXTURES)("gives the same output for %s split at every single byte offset", (name) => {
    const bytes = fixture(name);
    const whole = translate([bytes]).output;
    for (let offset = 0; offset <= bytes.length; offset += 1) expect(translate(splitAt(bytes, [offset])).output).toBe(whole);
  });

  it("gives the same output however the stream is cut into pieces", () => {
    const cases = FIXTURES.map((name) => fixture(name));
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.array(fc.nat(), { maxLength: 40 }), (bytes, offsets) => {
        const cuts = offsets.map((offset) => offset % (bytes.length + 1));
        expect(translate(splitAt(bytes, cuts)).output).toBe(translate([bytes]).output);
      }),
      { numRuns: 300 },
    );
  });

  it("reads CRLF line endings the same as LF, even split inside the pair", () => {
    const lf = fixture("anthropic-tool-use.sse");
    const crlf = Buffer.from(lf.toString("utf8").replaceAll("\n", "\r\n"));
    const whole = translate([lf]).output;
    fc.assert(
      fc.property(fc.array(fc.nat(crlf.length), { maxLength: 20 }), (cuts) => {
        expect(translate(splitAt(crlf, cuts)).output).toBe(whole);
      }),
      { numRuns: 100 },
    );
  });
});

describe("AnthropicStreamTranslator: odd streams", () => {
  const start = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_x","model":"claude","usage":{"input_tokens":3,"output_tokens":1}}}\n\n';
  const stop = 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';

  it("ends a stream cut off before message_stop with a truncation error, not [DONE]", () => {
    const { output, translator } = translate([Buffer.from(start + 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n')]);
    expect(payloads(output).at(-1)).toContain('"code":"upstream_stream_truncated"');
    expect(output).not.toContain("[DONE]");
    expect(translator.failure?.status).toBe(502);
  });

  it("ignores pings, unknown events, signature deltas and OpenRouter's trailing [DONE]", () => {
    const body = start + 'event: ping\ndata: {"type": "ping"}\n\nevent: brand_new\ndata: {"type":"brand_new","x":1}\n\n' + stop + "event: data\ndata: [DONE]\n\n";
    expect(payloads(translate([Buffer.from(body)], { includeUsage: false, created: 1 }).output)).toEqual([
      '{"id":"msg_x","object":"chat.completion.chunk","created":1,"model":"claude","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}',
      '{"id":"msg_x","object":"chat.completion.chunk","created":1,"model":"claude","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}',
      "[DONE]",
    ]);
  });

  it("sends the arguments of a tool call whose input came whole in content_block_start", () => {
    const block =
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"now","input":{"tz":"UTC"}}}\n\n' +
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n';
    const toolDeltas = chunks(translate([Buffer.from(start + block + stop)]).output).flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    expect(toolDeltas).toEqual([
      { index: 0, id: "toolu_1", type: "function", function: { name: "now", arguments: "" } },
      { index: 0, function: { arguments: '{"tz":"UTC"}' } },
    ]);
  });

  it("numbers parallel tool calls 0, 1, … whatever Anthropic's block indexes are", () => {
    const tool = (index: number, id: string) =>
      `event: content_block_start\ndata: {"type":"content_block_start","index":${index},"content_block":{"type":"tool_use","id":"${id}","name":"f","input":{}}}\n\n` +
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"input_json_delta","partial_json":"{}"}}\n\n`;
    const text = 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n';
    const toolDeltas = chunks(translate([Buffer.from(start + text + tool(1, "a") + tool(2, "b") + stop)]).output).flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    expect(toolDeltas.map((delta) => [delta.index, delta.id ?? null])).toEqual([
      [0, "a"],
      [0, null],
      [1, "b"],
      [1, null],
    ]);
  });

  it("ends with a bad-response error when an event is not JSON", () => {
    const { output, translator } = translate([Buffer.from(start + "event: content_block_delta\ndata: {not json\n\n" + stop)]);
    expect(payloads(output).at(-1)).toContain('"code":"upstream_bad_response"');
    expect(output).not.toContain("[DONE]");
    expect(translator.failure?.retryable).toBe(false);
  });

  it("redacts the key from an in-band error message", () => {
    const error = 'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"bad key sk-ant-api03-SECRETSECRETSECRET"}}\n\n';
    const { output } = translate([Buffer.from(start + error)], { ...OPTIONS, secrets: ["sk-ant-api03-SECRETSECRETSECRET"] });
    expect(output).not.toContain("SECRETSECRETSECRET");
  });

  it("produces nothing after the stream finished", () => {
    const translator = new AnthropicStreamTranslator(OPTIONS);
    translator.push(Buffer.from(start + stop));
    expect(translator.push(Buffer.from(start)).length).toBe(0);
    expect(translator.end().length).toBe(0);
  });
});

describe("AnthropicStreamTranslator with the official OpenAI SDK as the client", () => {
  it("yields a final chat completion with the tool call assembled", async () => {
    const { output } = translate([fixture("anthropic-tool-use.sse")]);
    const stream = sdkClientAnswering(output).chat.completions.stream({ model: "anthropic/opus", messages: [{ role: "user", content: "Weather?" }], stream_options: { include_usage: true } });
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe("Okay, let's check the weather for San Francisco, CA:");
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type === "function" ? call.function : undefined).toEqual({ name: "get_weather", arguments: '{"location": "San Francisco, CA"}' });
    expect(completion.usage?.total_tokens).toBe(561);
  });

  it("raises the in-band error as an APIError", async () => {
    const { output } = translate([fixture("anthropic-error-overloaded.sse")]);
    const stream = await sdkClientAnswering(output).chat.completions.create({ model: "anthropic/opus", messages: [{ role: "user", content: "Hi" }], stream: true });
    const seen: string[] = [];
    const consume = async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? "");
    };
    await expect(consume()).rejects.toBeInstanceOf(APIError);
    expect(seen.join("")).toBe("ello frien");
  });
});
