import { readFileSync } from "node:fs";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { convertAnthropicResponse } from "./convert-anthropic-response.js";
import { convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), "utf8"));
}

describe("convertAnthropicResponse", () => {
  it("converts the documented text response to a chat.completion the SDK types accept", () => {
    const completion: ChatCompletion = convertAnthropicResponse(fixture("anthropic-message-text.json"), { created: 1700000000 });
    expect(completion).toEqual({
      id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
      object: "chat.completion",
      created: 1700000000,
      model: "claude-3-5-sonnet-20240620",
      choices: [{ index: 0, message: { role: "assistant", content: "Hi! My name is Claude.", refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 2095, completion_tokens: 503, total_tokens: 2598 },
    });
  });

  it("turns tool_use blocks into tool_calls with JSON-string arguments", () => {
    const completion: ChatCompletion = convertAnthropicResponse(fixture("anthropic-message-tool-use.json"), { created: 1, model: "anthropic/sonnet" });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe("<thinking>I need to call the get_weather function, and the user wants SF, which is likely San Francisco, CA.</thinking>");
    expect(choice?.message.tool_calls).toEqual([
      { id: "toolu_01A09q90qw90lq917835lq9", type: "function", function: { name: "get_weather", arguments: '{"location":"San Francisco, CA","unit":"celsius"}' } },
    ]);
    expect(completion.model).toBe("anthropic/sonnet");
    // The documented example has no usage: unknown, not zero.
    expect(completion).not.toHaveProperty("usage");
  });

  it("puts thinking in the reasoning field and skips blocks a chat completion cannot show", () => {
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-opus-4-8",
      content: [
        { type: "thinking", thinking: "Let me add.", signature: "sig" },
        { type: "redacted_thinking", data: "xyz" },
        { type: "text", text: "2 + 2 = " },
        { type: "text", text: "4" },
      ],
      stop_reason: "end_turn",
      usage: { input_tokens: 10, output_tokens: 20 },
    };
    expect(convertAnthropicResponse(message, { created: 1 }).choices[0].message).toEqual({ role: "assistant", content: "2 + 2 = 4", refusal: null, reasoning_content: "Let me add." });
    expect(convertAnthropicResponse(message, { created: 1, reasoningField: "reasoning" }).choices[0].message).toMatchObject({ reasoning: "Let me add." });
  });

  it("sends null content beside tool calls when the model said nothing", () => {
    const message = { id: "m", model: "c", content: [{ type: "tool_use", id: "t", name: "now", input: {} }], stop_reason: "tool_use" };
    expect(convertAnthropicResponse(message, { created: 1 }).choices[0].message).toMatchObject({ content: null, tool_calls: [{ function: { name: "now", arguments: "{}" } }] });
  });

  it("answers 502 for a body that is not a Message", () => {
    expect(() => convertAnthropicResponse({ hello: "world" })).toThrow(expect.objectContaining({ code: "upstream_bad_response", status: 502 }));
    expect(() => convertAnthropicResponse("nope")).toThrow(expect.objectContaining({ status: 502 }));
  });
});

describe("mapAnthropicStopReason", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
    [null, "stop"],
    ["something_new", "stop"],
  ])("maps %s to %s", (stopReason, finishReason) => {
    expect(mapAnthropicStopReason(stopReason)).toBe(finishReason);
  });
});

describe("convertAnthropicUsage", () => {
  it("counts cached input in prompt_tokens, as OpenAI does, and reports cache hits", () => {
    expect(convertAnthropicUsage({ input_tokens: 50, cache_creation_input_tokens: 1000, cache_read_input_tokens: 2000, output_tokens: 30 })).toEqual({
      prompt_tokens: 3050,
      completion_tokens: 30,
      total_tokens: 3080,
      prompt_tokens_details: { cached_tokens: 2000 },
    });
  });

  it("returns undefined when Anthropic sent no counts", () => {
    expect(convertAnthropicUsage(undefined)).toBeUndefined();
    expect(convertAnthropicUsage({})).toBeUndefined();
  });
});
