import { describe, expect, it } from "vitest";
import { ANTHROPIC_DEFAULT_MAX_TOKENS } from "./anthropic-defaults.js";
import { convertToAnthropicRequest } from "./convert-to-anthropic-request.js";
import { GatewayError } from "../../errors/gateway-error.js";

const hello = [{ role: "user", content: "Hello" }];

function translate(body: Record<string, unknown>, options = {}) {
  return convertToAnthropicRequest({ model: "claude-sonnet-4-5", messages: hello, ...body }, options);
}

function rejection(body: Record<string, unknown>): GatewayError {
  try {
    translate(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a GatewayError");
}

describe("convertToAnthropicRequest: basics", () => {
  it("translates a minimal request with the required default max_tokens", () => {
    const { body, dropped, stream, includeUsage } = translate({});
    expect(body).toEqual({ model: "claude-sonnet-4-5", max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS, messages: [{ role: "user", content: "Hello" }] });
    expect(dropped).toEqual([]);
    expect({ stream, includeUsage }).toEqual({ stream: false, includeUsage: false });
  });

  it("sends the routed model name when the caller gives one", () => {
    expect(translate({ model: "anthropic/sonnet" }, { model: "claude-sonnet-4-5-20250929" }).body.model).toBe("claude-sonnet-4-5-20250929");
  });

  it("takes max_completion_tokens, then max_tokens, and reports a conflicting max_tokens", () => {
    expect(translate({ max_tokens: 300 }).body.max_tokens).toBe(300);
    expect(translate({ max_completion_tokens: 500 }).body.max_tokens).toBe(500);
    const both = translate({ max_completion_tokens: 500, max_tokens: 300 });
    expect(both.body.max_tokens).toBe(500);
    expect(both.dropped.map((entry) => entry.param)).toEqual(["max_tokens"]);
    expect(translate({}, { defaultMaxTokens: 1000 }).body.max_tokens).toBe(1000);
  });

  it("passes temperature, top_p, top_k and stop sequences through unchanged", () => {
    const { body } = translate({ temperature: 0.2, top_p: 0.9, top_k: 40, stop: ["\n\nHuman:", "END"] });
    expect(body).toMatchObject({ temperature: 0.2, top_p: 0.9, top_k: 40, stop_sequences: ["\n\nHuman:", "END"] });
    expect(translate({ stop: "END" }).body.stop_sequences).toEqual(["END"]);
    expect(translate({ stop: [] }).body).not.toHaveProperty("stop_sequences");
    // Out of Anthropic's 0..1 range: not clamped, so Anthropic's own 400 names the problem.
    expect(translate({ temperature: 1.5 }).body.temperature).toBe(1.5);
  });

  it("sets stream and remembers whether usage was asked for", () => {
    const result = translate({ stream: true, stream_options: { include_usage: true } });
    expect(result.body.stream).toBe(true);
    expect(result.includeUsage).toBe(true);
    expect(translate({ stream: false, stream_options: { include_usage: true } }).includeUsage).toBe(false);
  });

  it("sends the end-user id (safety_identifier, or the older user) as metadata.user_id", () => {
    expect(translate({ user: "user-42" }).body.metadata).toEqual({ user_id: "user-42" });
    expect(translate({ user: "old", safety_identifier: "hash-1" }).body.metadata).toEqual({ user_id: "hash-1" });
  });

  it("treats null members as absent", () => {
    const { body, dropped } = translate({ stop: null, temperature: null, tools: null, tool_choice: null, max_tokens: null, seed: null });
    expect(body).toEqual({ model: "claude-sonnet-4-5", max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS, messages: [{ role: "user", content: "Hello" }] });
    expect(dropped).toEqual([]);
  });
});

describe("convertToAnthropicRequest: dropped parameters", () => {
  it("reports every parameter Anthropic cannot take, with a reason, once each", () => {
    const { body, dropped } = translate({ response_format: { type: "json_object" }, seed: 7, logprobs: true, frequency_penalty: 0.5, store: true, custom_thing: 1 });
    expect(dropped.map((entry) => entry.param)).toEqual(["response_format", "seed", "logprobs", "frequency_penalty", "store", "custom_thing"]);
    expect(dropped[0]?.reason).toMatch(/response_format/);
    expect(body).not.toHaveProperty("seed");
  });

  it("does not report values that ask for nothing beyond the default", () => {
    expect(translate({ frequency_penalty: 0, presence_penalty: 0, logprobs: false, logit_bias: {}, n: 1, parallel_tool_calls: true }).dropped).toEqual([]);
  });

  it("refuses n > 1 instead of returning fewer choices", () => {
    expect(rejection({ n: 2 })).toMatchObject({ status: 400, param: "n" });
  });
});

describe("convertToAnthropicRequest: messages", () => {
  it("hoists system and developer messages into system, in order", () => {
    const { body } = translate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "user", content: "Hello" },
      ],
    });
    expect(body.system).toEqual([
      { type: "text", text: "Be brief." },
      { type: "text", text: "Answer in French." },
    ]);
    expect(body.messages).toEqual([{ role: "user", content: "Hello" }]);
  });

  it("keeps a multi-turn conversation and merges consecutive turns of one role", () => {
    const { body } = translate({
      messages: [
        { role: "user", content: "Hi" },
        { role: "user", content: [{ type: "text", text: "Anyone there?" }] },
        { role: "assistant", content: "Yes." },
        { role: "user", content: "Good." },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Hi" }, { type: "text", text: "Anyone there?" }] },
      { role: "assistant", content: "Yes." },
      { role: "user", content: "Good." },
    ]);
  });

  it("converts data-URL images to base64 sources and http URLs to URL sources", () => {
    const { body, dropped } = translate({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare these." },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "high" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          ],
        },
      ],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: "text", text: "Compare these." },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
    ]);
    expect(dropped).toEqual([{ param: "messages[].content[].image_url.detail", reason: expect.any(String) }]);
  });

  it("sends an inline PDF as a document block", () => {
    const { body } = translate({ messages: [{ role: "user", content: [{ type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } }] }] });
    expect(body.messages[0]?.content).toEqual([{ type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } }]);
  });

  it("refuses content Anthropic cannot take, naming the part", () => {
    expect(rejection({ messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "", format: "wav" } }] }] })).toMatchObject({
      status: 400,
      param: "messages[0].content[0].type",
    });
    expect(rejection({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png,rawbytes" } }] }] })).toMatchObject({
      param: "messages[0].content[0].image_url.url",
    });
    expect(rejection({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://host/x.png" } }] }] }).message).toMatch(/http/);
    expect(rejection({ messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-abc" } }] }] }).param).toBe("messages[0].content[0].file");
  });

  it("names the parameter when the body is not a chat request", () => {
    expect(rejection({ messages: [] })).toMatchObject({ status: 400, param: "messages" });
    expect(rejection({ messages: [{ role: "wizard", content: "hi" }] }).param).toBe("messages[0].role");
    expect(rejection({ max_tokens: -1 }).param).toBe("max_tokens");
  });

  it("reports message fields that cannot be replayed", () => {
    const { dropped } = translate({
      messages: [
        { role: "user", content: "Hi", name: "alice" },
        { role: "assistant", content: "Hello", reasoning_content: "They greeted me.", refusal: null },
        { role: "user", content: "Bye", name: "alice" },
      ],
    });
    expect(dropped.map((entry) => entry.param)).toEqual(["messages[].name", "messages[].reasoning_content"]);
  });
});

describe("convertToAnthropicRequest: tools", () => {
  const weatherTool = {
    type: "function",
    function: { name: "get_weather", description: "Get the weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  };

  it("converts function tools to name, description and input_schema", () => {
    const { body } = translate({ tools: [weatherTool, { type: "function", function: { name: "now" } }] });
    expect(body.tools).toEqual([
      { name: "get_weather", description: "Get the weather", input_schema: weatherTool.function.parameters },
      { name: "now", input_schema: { type: "object", properties: {} } },
    ]);
  });

  it.each([
    ["auto", { type: "auto" }],
    ["none", { type: "none" }],
    ["required", { type: "any" }],
    [{ type: "function", function: { name: "get_weather" } }, { type: "tool", name: "get_weather" }],
  ])("maps tool_choice %j to %j", (choice, expected) => {
    expect(translate({ tools: [weatherTool], tool_choice: choice }).body.tool_choice).toEqual(expected);
  });

  it("maps parallel_tool_calls: false to disable_parallel_tool_use", () => {
    expect(translate({ tools: [weatherTool], parallel_tool_calls: false }).body.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
    expect(translate({ tools: [weatherTool], tool_choice: "required", parallel_tool_calls: false }).body.tool_choice).toEqual({ type: "any", disable_parallel_tool_use: true });
  });

  it("drops an empty tools array and refuses a forced choice without tools", () => {
    const { body, dropped } = translate({ tools: [], tool_choice: "auto" });
    expect(body).not.toHaveProperty("tools");
    expect(body).not.toHaveProperty("tool_choice");
    expect(dropped).toEqual([]);
    expect(rejection({ tools: [], tool_choice: "required" })).toMatchObject({ status: 400, param: "tool_choice" });
  });

  it("refuses tool kinds and choices Anthropic has no counterpart for", () => {
    expect(rejection({ tools: [{ type: "custom", custom: { name: "grammar" } }] }).param).toBe("tools[0].type");
    expect(rejection({ tools: [weatherTool], tool_choice: { type: "allowed_tools", allowed_tools: { mode: "auto", tools: [] } } }).param).toBe("tool_choice");
  });

  it("reports strict tool schemas, which are not enforced", () => {
    const strict = { type: "function", function: { ...weatherTool.function, strict: true } };
    expect(translate({ tools: [strict] }).dropped.map((entry) => entry.param)).toEqual(["tools[].function.strict"]);
  });

  it("turns assistant tool calls into tool_use blocks and tool results into one user turn", () => {
    const { body } = translate({
      tools: [weatherTool],
      messages: [
        { role: "user", content: "Weather in Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "18°C" },
        { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "24°C" }] },
        { role: "user", content: "Thanks. Which is warmer?" },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: "Weather in Paris and Rome?" },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: "18°C" },
          { type: "tool_result", tool_use_id: "call_2", content: [{ type: "text", text: "24°C" }] },
          { type: "text", text: "Thanks. Which is warmer?" },
        ],
      },
    ]);
  });

  it("keeps assistant text before its tool calls and reads empty arguments as no input", () => {
    const { body } = translate({
      messages: [
        { role: "user", content: "Time?" },
        { role: "assistant", content: "Checking.", tool_calls: [{ id: "call_1", type: "function", function: { name: "now", arguments: "" } }] },
        { role: "tool", tool_call_id: "call_1", content: "" },
      ],
    });
    expect(body.messages.slice(1)).toEqual([
      { role: "assistant", content: [{ type: "text", text: "Checking." }, { type: "tool_use", id: "call_1", name: "now", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1" }] },
    ]);
  });

  it("refuses tool-call arguments that are not JSON", () => {
    const error = rejection({
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{oops" } }] },
      ],
    });
    expect(error.param).toBe("messages[1].tool_calls[0].function.arguments");
  });
});

describe("convertToAnthropicRequest: reasoning_effort", () => {
  it.each([
    ["minimal", 1024],
    ["low", 2048],
    ["medium", 8192],
    ["high", 16384],
    ["xhigh", 32000],
  ])("maps %s to a %i-token thinking budget on top of the default max_tokens", (effort, budget) => {
    const { body } = translate({ reasoning_effort: effort });
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: budget });
    expect(body.max_tokens).toBe(budget + ANTHROPIC_DEFAULT_MAX_TOKENS);
  });

  it("sends no thinking for none", () => {
    expect(translate({ reasoning_effort: "none" }).body).not.toHaveProperty("thinking");
  });

  it("fits the budget below the client's own limit, which counts reasoning too", () => {
    expect(translate({ reasoning_effort: "high", max_completion_tokens: 20000 }).body).toMatchObject({ max_tokens: 20000, thinking: { budget_tokens: 16384 } });
    expect(translate({ reasoning_effort: "high", max_completion_tokens: 5000 }).body).toMatchObject({ max_tokens: 5000, thinking: { budget_tokens: 4999 } });
  });

  it("reports reasoning_effort when the limit leaves no room for the minimum budget", () => {
    const { body, dropped } = translate({ reasoning_effort: "low", max_tokens: 1024 });
    expect(body).not.toHaveProperty("thinking");
    expect(dropped).toEqual([{ param: "reasoning_effort", reason: expect.stringMatching(/1024/) }]);
  });

  it("reports reasoning_effort when tool_choice forces a tool, which thinking does not allow", () => {
    const tools = [{ type: "function", function: { name: "f" } }];
    const { body, dropped } = translate({ reasoning_effort: "medium", tools, tool_choice: "required" });
    expect(body).not.toHaveProperty("thinking");
    expect(body.tool_choice).toEqual({ type: "any" });
    expect(dropped.map((entry) => entry.param)).toEqual(["reasoning_effort"]);
  });

  it("leaves out and reports sampling parameters thinking does not allow", () => {
    const { body, dropped } = translate({ reasoning_effort: "low", temperature: 0.3, top_k: 5, top_p: 0.5 });
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("top_k");
    expect(body).not.toHaveProperty("top_p");
    expect(dropped.map((entry) => entry.param)).toEqual(["temperature", "top_p", "top_k"]);
    const allowed = translate({ reasoning_effort: "low", temperature: 1, top_p: 0.95 });
    expect(allowed.body).toMatchObject({ top_p: 0.95 });
    expect(allowed.dropped).toEqual([]);
  });

  it("refuses an effort OpenAI does not define", () => {
    expect(rejection({ reasoning_effort: "turbo" })).toMatchObject({ status: 400, param: "reasoning_effort" });
  });
});
