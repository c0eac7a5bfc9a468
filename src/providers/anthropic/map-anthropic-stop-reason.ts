/**
 * @module providers/anthropic/map-anthropic-stop-reason
 * Anthropic `stop_reason` → OpenAI `finish_reason`.
 * @see https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons
 */
import type { OpenAIFinishReason } from "./openai-chat-types.js";

/**
 * `pause_turn` (a server-tool loop hit its limit) ends the turn without a client action, so it is
 * `stop`; `refusal` is the model declining, which OpenAI reports as `content_filter`; the context
 * window running out truncates like `max_tokens`. Unknown future values read as `stop`.
 */
export function mapAnthropicStopReason(stopReason: string | null | undefined): OpenAIFinishReason {
  switch (stopReason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
    default:
      return "stop";
  }
}
