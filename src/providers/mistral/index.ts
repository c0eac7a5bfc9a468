/** @module providers/mistral — Mistral La Plateforme. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";
import { renameMaxCompletionTokens } from "../parameter-rules.js";

/** Mistral: chat, embeddings and Voxtral transcription; its completions endpoint is FIM-only, elsewhere. */
export const mistralKind = defineOpenAICompatibleKind({
  id: "mistral",
  displayName: "Mistral",
  local: false,
  defaults: { baseUrl: "https://api.mistral.ai/v1" },
  env: { apiKey: ["MISTRAL_API_KEY"] },
  endpoints: ["chat", "embeddings", "transcriptions", "models"],
  docs: "docs/providers/mistral.md",
  // Mistral refuses unknown fields with 422 extra_forbidden (wire-quirks.md §14).
  parameters: {
    chat: [
      renameMaxCompletionTokens("Mistral answers 422 extra_forbidden to max_completion_tokens"),
      { action: "drop", parameter: "stream_options", reason: "Mistral answers 422 extra_forbidden to stream_options; it sends usage on the last chunk anyway" },
      { action: "strip-history", field: "reasoning_content", reason: "Mistral answers 422 to reasoning_content on replayed assistant messages" },
    ],
    reasoningEffort: "unsupported",
    streamUsage: "always",
  },
});
