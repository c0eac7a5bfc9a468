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
});
