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
  parameters: {
    models: [
      {
        // api-docs.deepseek.com reasoning model guide (wire-quirks.md §15).
        match: /^deepseek-reasoner/,
        rules: [
          { action: "strip-history", field: "reasoning_content", reason: "deepseek-reasoner answers 400 when reasoning_content is sent back" },
          { action: "drop", parameter: "logprobs", keep: [false, null], reason: "deepseek-reasoner answers 400 to logprobs" },
          { action: "drop", parameter: "top_logprobs", reason: "deepseek-reasoner answers 400 to top_logprobs" },
        ],
      },
    ],
    reasoningEffort: "unsupported",
    streamUsage: "include-usage",
    reasoningOutput: ["reasoning_content"],
  },
});
