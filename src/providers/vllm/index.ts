/** @module providers/vllm — vLLM's OpenAI server (`vllm serve`), default port 8000. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/** vLLM. Started without `--api-key` it accepts anything; `EMPTY` is its documented placeholder. */
export const vllmKind = defineOpenAICompatibleKind({
  id: "vllm",
  displayName: "vLLM",
  local: true,
  defaults: { baseUrl: "http://127.0.0.1:8000/v1", apiKey: "EMPTY" },
  env: { baseUrl: ["VLLM_BASE_URL"], apiKey: ["VLLM_API_KEY"] },
  // Whisper-style models are served on /v1/audio/transcriptions.
  endpoints: ["chat", "completions", "embeddings", "transcriptions", "models"],
  docs: "docs/providers/vllm.md",
  // vllm/entrypoints/openai/chat_completion/protocol.py validators (wire-quirks.md §4).
  parameters: {
    chat: [
      { action: "drop", parameter: "stream_options", when: "not-streaming", reason: "vLLM answers 400 'Stream options can only be defined when stream=True'" },
      {
        action: "drop",
        parameter: "tools",
        when: "empty",
        alsoDrop: ["tool_choice"],
        reason: "vLLM answers 400 to 'tools: []', and to tool_choice without tools",
      },
    ],
    reasoningEffort: { values: ["none", "minimal", "low", "medium", "high", "xhigh", "max"], source: "vLLM ChatCompletionRequest.reasoning_effort Literal" },
    streamUsage: "include-usage",
    // Older versions send reasoning_content, transitional ones both (same text), current ones reasoning.
    reasoningOutput: ["reasoning", "reasoning_content"],
  },
});
