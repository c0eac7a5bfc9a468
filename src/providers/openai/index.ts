/** @module providers/openai — OpenAI's own API. */
import { ALL_ENDPOINTS, defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/**
 * OpenAI. `OPENAI_BASE_URL` is deliberately not read: apps commonly set it to point at this
 * gateway, which would make `openai/…` call the gateway itself. Use the config file instead.
 */
export const openaiKind = defineOpenAICompatibleKind({
  id: "openai",
  displayName: "OpenAI",
  local: false,
  defaults: { baseUrl: "https://api.openai.com/v1" },
  env: { apiKey: ["OPENAI_API_KEY"] },
  endpoints: ALL_ENDPOINTS,
  docs: "docs/providers/openai.md",
  parameters: {
    models: [
      {
        // 400 unsupported_parameter "Use 'max_completion_tokens' instead" (wire-quirks.md §1).
        match: /^(o\d|gpt-5)/,
        rules: [{ action: "rename", parameter: "max_tokens", to: "max_completion_tokens", reason: "OpenAI's reasoning models refuse max_tokens" }],
      },
    ],
    reasoningEffort: { source: "openapi.yaml CreateChatCompletionRequest.reasoning_effort (the model decides which values it takes)" },
    streamUsage: "include-usage",
  },
});
