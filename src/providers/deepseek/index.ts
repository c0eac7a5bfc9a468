/** @module providers/deepseek — DeepSeek's API. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/** DeepSeek: chat only (its `/completions` is a beta FIM endpoint on another base URL). */
export const deepseekKind = defineOpenAICompatibleKind({
  id: "deepseek",
  displayName: "DeepSeek",
  local: false,
  defaults: { baseUrl: "https://api.deepseek.com/v1" },
  env: { apiKey: ["DEEPSEEK_API_KEY"] },
  endpoints: ["chat", "models"],
  docs: "docs/providers/deepseek.md",
});
