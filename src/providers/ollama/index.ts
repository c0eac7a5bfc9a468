/** @module providers/ollama — Ollama's OpenAI-compatible API (`/v1`), default port 11434. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

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
});
