/**
 * @module providers/anthropic/convert-to-anthropic-messages
 * OpenAI `messages` → Anthropic `system` + `messages`. System and developer messages are hoisted
 * into `system` (Anthropic has no system role); assistant tool calls become `tool_use` blocks;
 * `role: "tool"` results become `tool_result` blocks in a user turn, consecutive ones merged, and
 * consecutive turns of one role are merged because Anthropic expects the roles to alternate.
 * @see https://platform.claude.com/docs/en/api/messages/create
 * @see https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use
 */
import type { AnthropicContentBlock, AnthropicMessage, AnthropicTextBlock, AnthropicToolResultBlock } from "./anthropic-wire.js";
import { convertUserContent, textBlocksOf } from "./convert-openai-content.js";
import type { DroppedParams } from "./dropped-params.js";
import { invalidParam, type ChatMessage } from "./openai-chat-request-schema.js";

/** The converted conversation. */
export interface ConvertedMessages {
  /** System and developer text, in order; empty when there was none. */
  readonly system: AnthropicTextBlock[];
  readonly messages: AnthropicMessage[];
}

interface Turn {
  readonly role: "user" | "assistant";
  content: string | AnthropicContentBlock[];
}

/** Message members that are translated; any other non-empty member is reported as dropped. */
const TRANSLATED_MEMBERS = new Set(["role", "content", "tool_calls", "tool_call_id"]);

function asBlocks(content: string | AnthropicContentBlock[]): AnthropicContentBlock[] {
  if (typeof content !== "string") return content;
  return content === "" ? [] : [{ type: "text", text: content }];
}

function append(turns: Turn[], role: Turn["role"], content: string | AnthropicContentBlock[]): void {
  const last = turns.at(-1);
  if (last === undefined || last.role !== role) turns.push({ role, content });
  else last.content = [...asBlocks(last.content), ...asBlocks(content)];
}

/** Anthropic wants a user turn's `tool_result` blocks before any other block in it. */
function appendToolResult(turns: Turn[], block: AnthropicToolResultBlock): void {
  const last = turns.at(-1);
  if (last === undefined || last.role !== "user") {
    turns.push({ role: "user", content: [block] });
    return;
  }
  const blocks = asBlocks(last.content);
  const firstOther = blocks.findIndex((existing) => existing.type !== "tool_result");
  if (firstOther === -1) blocks.push(block);
  else blocks.splice(firstOther, 0, block);
  last.content = blocks;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

function reportExtraMembers(message: ChatMessage, param: string, dropped: DroppedParams): void {
  for (const [key, value] of Object.entries(message)) {
    if (TRANSLATED_MEMBERS.has(key) || isEmpty(value)) continue;
    const reason =
      key === "reasoning_content" || key === "reasoning"
        ? "earlier reasoning cannot be replayed: Anthropic needs its own signed thinking blocks"
        : "the Anthropic Messages API has no such message field";
    dropped.add(`${param}.${key}`, reason);
  }
}

/** Tool-call arguments are a JSON string; Anthropic wants the object. An empty string means none. */
function parseArguments(text: string | null | undefined, param: string): unknown {
  if (text === null || text === undefined || text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidParam(param, `'${param}' is not valid JSON; Anthropic needs tool-call arguments as an object.`);
  }
}

function convertAssistant(message: Extract<ChatMessage, { role: "assistant" }>, param: string): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = message.content === null || message.content === undefined ? [] : textBlocksOf(message.content, `${param}.content`);
  (message.tool_calls ?? []).forEach((call, index) => {
    const callParam = `${param}.tool_calls[${index}]`;
    blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input: parseArguments(call.function.arguments, `${callParam}.function.arguments`) });
  });
  return blocks;
}

function convertToolResult(message: Extract<ChatMessage, { role: "tool" }>, param: string): AnthropicToolResultBlock {
  const text = message.content === null || message.content === undefined ? [] : textBlocksOf(message.content, `${param}.content`);
  if (text.length === 0) return { type: "tool_result", tool_use_id: message.tool_call_id };
  // A single string keeps the request small and is the form Anthropic's own examples use.
  if (typeof message.content === "string") return { type: "tool_result", tool_use_id: message.tool_call_id, content: message.content };
  return { type: "tool_result", tool_use_id: message.tool_call_id, content: text };
}

/** Converts the conversation, or throws a 400 naming the first part that cannot be carried over. */
export function convertToAnthropicMessages(messages: readonly ChatMessage[], dropped: DroppedParams): ConvertedMessages {
  const system: AnthropicTextBlock[] = [];
  const turns: Turn[] = [];
  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    reportExtraMembers(message, param, dropped);
    switch (message.role) {
      case "system":
      case "developer":
        if (message.content !== null && message.content !== undefined) system.push(...textBlocksOf(message.content, `${param}.content`));
        break;
      case "user":
        if (message.content === null || message.content === undefined) throw invalidParam(`${param}.content`, `'${param}.content' is required for user messages.`);
        append(turns, "user", convertUserContent(message.content, `${param}.content`, dropped));
        break;
      case "assistant": {
        const blocks = convertAssistant(message, param);
        // An assistant turn with neither text nor tool calls carries nothing, and Anthropic refuses empty content.
        if (blocks.length > 0) append(turns, "assistant", blocks.length === 1 && blocks[0]?.type === "text" ? blocks[0].text : blocks);
        break;
      }
      case "tool":
        appendToolResult(turns, convertToolResult(message, param));
        break;
    }
  });
  return { system, messages: turns.map((turn) => ({ role: turn.role, content: turn.content })) };
}
