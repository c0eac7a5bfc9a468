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
});
