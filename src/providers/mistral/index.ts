/** @module providers/mistral — Mistral La Plateforme. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/** Mistral: chat, embeddings and Voxtral transcription; its completions endpoint is FIM-only, elsewhere. */
export const mistralKind = defineOpenAICompatibleKind({
  id: "mistral",
  displayName: "Mistral",
  local: false,
  defaults: { baseUrl: "https://api.mistral.ai/v1" },
  env: { apiKey: ["MISTRAL_API_KEY"] },
  endpoints: ["chat", "embeddings", "transcriptions", "models"],
  docs: "docs/providers/mistral.md",
});
