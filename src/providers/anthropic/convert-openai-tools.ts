/**
 * @module providers/anthropic/convert-openai-tools
 * OpenAI `tools`, `tool_choice` and `parallel_tool_calls` → Anthropic `tools` and `tool_choice`:
 * a function becomes `{name, description, input_schema}`; `auto`/`none`/`required`/named become
 * `auto`/`none`/`any`/`tool`; `parallel_tool_calls: false` becomes `disable_parallel_tool_use`.
 * @see https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use
 */
import type { AnthropicTool, AnthropicToolChoice } from "./anthropic-wire.js";
import type { DroppedParams } from "./dropped-params.js";
import { invalidParam, type ChatRequest, type ChatTool, type ChatToolChoice } from "./openai-chat-request-schema.js";
import { isRecord } from "../../util/is-record.js";

/** The converted tool fields; absent members are left out of the body. */
export interface ConvertedTools {
  readonly tools?: AnthropicTool[];
  readonly tool_choice?: AnthropicToolChoice;
  /** The choice makes the model call a tool (`any` or `tool`), which extended thinking does not allow. */
  readonly forcesTool: boolean;
}

/** Anthropic requires an object schema; OpenAI lets a function without parameters omit it. */
const EMPTY_OBJECT_SCHEMA = { type: "object", properties: {} };

function convertTool(tool: ChatTool, param: string, dropped: DroppedParams): AnthropicTool {
  const definition = tool.function;
  if (tool.type !== "function" || definition === null || definition === undefined) {
    throw invalidParam(`${param}.type`, `Tool type '${tool.type}' in '${param}' cannot be sent to Anthropic; only function tools can.`);
  }
  if (definition.strict === true) dropped.add(`${param}.function.strict`, "strict tool schemas are an Anthropic beta feature Switchyard does not enable");
  return {
    name: definition.name,
    ...(typeof definition.description === "string" && definition.description !== "" ? { description: definition.description } : {}),
    input_schema: definition.parameters ?? EMPTY_OBJECT_SCHEMA,
  };
}

/**
 * Maps a tool choice; undefined means "Anthropic's default" (`auto`).
 * @see https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use
 */
function mapToolChoice(choice: ChatToolChoice): AnthropicToolChoice {
  if (typeof choice === "string") {
    switch (choice) {
      case "auto":
        return { type: "auto" };
      case "none":
        return { type: "none" };
      case "required":
        return { type: "any" };
    }
  }
  const named = choice.type === "function" && isRecord(choice["function"]) ? choice["function"]["name"] : undefined;
  if (typeof named === "string") return { type: "tool", name: named };
  throw invalidParam("tool_choice", `tool_choice of type '${choice.type}' cannot be sent to Anthropic; use auto, none, required or a named function.`);
}

/** Converts the tool fields of a request. */
export function convertOpenAITools(request: ChatRequest, dropped: DroppedParams): ConvertedTools {
  const tools = (request.tools ?? []).map((tool, index) => convertTool(tool, `tools[${index}]`, dropped));
  const choice = request.tool_choice ?? undefined;
  if (tools.length === 0) {
    // An empty `tools` array is dropped (Anthropic refuses it); a choice that needs a tool cannot be met.
    if (choice === undefined || choice === "auto" || choice === "none") return { forcesTool: false };
    throw invalidParam("tool_choice", "tool_choice requires at least one tool in 'tools'.");
  }
  let toolChoice = choice === undefined ? undefined : mapToolChoice(choice);
  if (request.parallel_tool_calls === false && toolChoice?.type !== "none") {
    toolChoice = { ...(toolChoice ?? { type: "auto" }), disable_parallel_tool_use: true };
  }
  const forcesTool = toolChoice?.type === "any" || toolChoice?.type === "tool";
  return { tools, ...(toolChoice === undefined ? {} : { tool_choice: toolChoice }), forcesTool };
}
