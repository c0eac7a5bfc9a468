/** @module providers/together — Together AI. */
import { ALL_ENDPOINTS, defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/** Together AI serves chat, completions, embeddings and audio in OpenAI format. */
export const togetherKind = defineOpenAICompatibleKind({
  id: "together",
  displayName: "Together AI",
  local: false,
  defaults: { baseUrl: "https://api.together.xyz/v1" },
  env: { apiKey: ["TOGETHER_API_KEY", "TOGETHERAI_API_KEY"] },
  endpoints: ALL_ENDPOINTS,
  docs: "docs/providers/together.md",
  parameters: {
    streamUsage: "include-usage",
  },
});
