/** @module providers/openrouter — OpenRouter, one key for many hosted models. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/** OpenRouter. Model names carry their own `/` (`anthropic/claude-sonnet-4.5`): only the first `/` splits. */
export const openrouterKind = defineOpenAICompatibleKind({
  id: "openrouter",
  displayName: "OpenRouter",
  local: false,
  defaults: { baseUrl: "https://openrouter.ai/api/v1" },
  env: { apiKey: ["OPENROUTER_API_KEY"] },
  docs: "docs/providers/openrouter.md",
  parameters: {
    reasoningEffort: { field: ["reasoning", "effort"], source: "openrouter.ai/docs reasoning tokens: the `reasoning` request object" },
    streamUsage: "include-usage",
    reasoningOutput: ["reasoning"],
  },
});
