/** @module providers/gemini — Google Gemini through its OpenAI-compatible endpoint. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/**
 * Gemini's OpenAI endpoint lives under `/v1beta/openai`, not `/v1`; the base URL carries that
 * path so the usual `/chat/completions` suffix lands in the right place.
 * @see https://ai.google.dev/gemini-api/docs/openai
 */
export const geminiKind = defineOpenAICompatibleKind({
  id: "gemini",
  displayName: "Google Gemini",
  local: false,
  defaults: { baseUrl: "https://generativelanguage.googleapis.com/v1beta/openai" },
  env: { apiKey: ["GEMINI_API_KEY", "GOOGLE_API_KEY"] },
  endpoints: ["chat", "embeddings", "models"],
  docs: "docs/providers/gemini.md",
  // Unknown top-level fields are refused (400 "Cannot find field"), so nothing is added: no usage request.
  parameters: {
    reasoningEffort: { values: ["none", "minimal", "low", "medium", "high"], source: "ai.google.dev/gemini-api/docs/openai#thinking" },
  },
});
