/** @module providers/ollama — Ollama's OpenAI-compatible API (`/v1`), default port 11434. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";
import { renameMaxCompletionTokens } from "../parameter-rules.js";

/** Ollama. It ignores the key, but the OpenAI SDKs insist on one, so `ollama` is the convention. */
export const ollamaKind = defineOpenAICompatibleKind({
  id: "ollama",
  displayName: "Ollama",
  local: true,
  defaults: { baseUrl: "http://localhost:11434/v1", apiKey: "ollama" },
  env: { baseUrl: ["OLLAMA_BASE_URL"], apiKey: ["OLLAMA_API_KEY"] },
  // Ollama ≥ 0.12 also serves /v1/audio/transcriptions (wire-quirks.md §2).
  endpoints: ["chat", "completions", "embeddings", "transcriptions", "models"],
  docs: "docs/providers/ollama.md",
  // Ollama's request struct drops unknown keys without a word (openai/openai.go ChatCompletionRequest):
  // what it ignores and what changes the answer is dropped here, visibly. user/store/metadata pass.
  parameters: {
    chat: [
      renameMaxCompletionTokens("Ollama reads only max_tokens; it ignores max_completion_tokens and generates without bound"),
      { action: "drop", parameter: "tool_choice", keep: ["auto"], reason: "Ollama ignores tool_choice and decides on its own whether to call a tool" },
      { action: "drop", parameter: "n", keep: [1], reason: "Ollama ignores n and always returns one choice" },
      { action: "drop", parameter: "logit_bias", reason: "Ollama ignores logit_bias" },
    ],
    reasoningEffort: {
      values: ["none", "minimal", "low", "medium", "high", "xhigh", "ultra", "max"],
      source: "ollama openai/openai.go thinkFromReasoningEffort (wire-quirks.md §2)",
    },
    streamUsage: "include-usage",
    reasoningOutput: ["reasoning"],
  },
});
