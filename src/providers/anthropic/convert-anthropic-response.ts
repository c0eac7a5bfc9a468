/**
 * @module providers/anthropic/convert-anthropic-response
 * A Messages API response → a `chat.completion`: text blocks become `content`, `tool_use` blocks
 * `tool_calls` (arguments as a JSON string), `thinking` blocks the reasoning field; blocks with no
 * chat-completion counterpart (server tools, redacted thinking) are skipped.
 * @see https://platform.claude.com/docs/en/api/messages/create
 */
import { anthropicMessageSchema, type AnthropicResponseBlock } from "./anthropic-wire.js";
import { convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";
import type { OpenAIAssistantMessage, OpenAIChatCompletion, OpenAIToolCall, ReasoningField } from "./openai-chat-types.js";
import { GatewayError } from "../../errors/gateway-error.js";

/** Choices the caller makes for converted responses and streams. */
export interface AnthropicResponseOptions {
  /** The model name clients see; defaults to the one Anthropic reports. */
  readonly model?: string;
  /** Unix seconds for `created`; defaults to now (Anthropic sends no timestamp). */
  readonly created?: number;
  /** Where thinking text goes; defaults to `reasoning_content`. */
  readonly reasoningField?: ReasoningField;
}

/** The current time in Unix seconds, as OpenAI's `created`. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function toolCallOf(block: AnthropicResponseBlock): OpenAIToolCall {
  return {
    id: block.id ?? "",
    type: "function",
    function: { name: block.name ?? "", arguments: JSON.stringify(block.input ?? {}) },
  };
}

/** Converts a parsed Messages response, or throws a 502 when the JSON is not a Message. */
export function convertAnthropicResponse(json: unknown, options: AnthropicResponseOptions = {}): OpenAIChatCompletion {
  const parsed = anthropicMessageSchema.safeParse(json);
  if (!parsed.success || !Array.isArray(parsed.data.content)) {
    throw new GatewayError("upstream_bad_response", "Upstream provider 'anthropic' answered with a body that is not a Messages API response.");
  }
  const message = parsed.data;
  let text = "";
  let reasoning = "";
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of message.content ?? []) {
    if (block.type === "text") text += block.text ?? "";
    else if (block.type === "thinking") reasoning += block.thinking ?? "";
    else if (block.type === "tool_use") toolCalls.push(toolCallOf(block));
  }
  const assistant: OpenAIAssistantMessage = {
    role: "assistant",
    // OpenAI sends null content beside tool calls when the model said nothing.
    content: text === "" && toolCalls.length > 0 ? null : text,
    refusal: null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    ...(reasoning === "" ? {} : { [options.reasoningField ?? "reasoning_content"]: reasoning }),
  };
  const usage = convertAnthropicUsage(message.usage);
  return {
    id: message.id ?? "",
    object: "chat.completion",
    created: options.created ?? unixSeconds(),
    model: options.model ?? message.model ?? "",
    choices: [{ index: 0, message: assistant, logprobs: null, finish_reason: mapAnthropicStopReason(message.stop_reason) }],
    ...(usage === undefined ? {} : { usage }),
  };
}
