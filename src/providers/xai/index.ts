/** @module providers/xai — xAI (Grok). */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/** xAI: chat and legacy completions. */
export const xaiKind = defineOpenAICompatibleKind({
  id: "xai",
  displayName: "xAI",
  local: false,
  defaults: { baseUrl: "https://api.x.ai/v1" },
  env: { apiKey: ["XAI_API_KEY"] },
  endpoints: ["chat", "completions", "models"],
  docs: "docs/providers/xai.md",
  parameters: {
    reasoningEffort: { values: ["low", "high"], source: "docs.x.ai reasoning guide: grok-3-mini takes low or high" },
    streamUsage: "include-usage",
    reasoningOutput: ["reasoning_content"],
  },
});
