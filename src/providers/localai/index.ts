/** @module providers/localai — LocalAI, default port 8080; opt-in through LOCALAI_BASE_URL. */
import { ALL_ENDPOINTS, defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";
import { renameMaxCompletionTokens } from "../parameter-rules.js";

/**
 * LocalAI. Serves every OpenAI route (also without `/v1`); no key unless started with one. It
 * shares llama.cpp's usual port, so it is active only once LOCALAI_BASE_URL is set.
 * @see https://localai.io/features/openai-functions/
 */
export const localaiKind = defineOpenAICompatibleKind({
  id: "localai",
  displayName: "LocalAI",
  local: true,
  optIn: true,
  defaults: { baseUrl: "http://127.0.0.1:8080/v1" },
  env: { baseUrl: ["LOCALAI_BASE_URL"], apiKey: ["LOCALAI_API_KEY"] },
  endpoints: ALL_ENDPOINTS,
  docs: "docs/providers/localai.md",
  parameters: {
    // core/schema/prediction.go has `max_tokens` only; the other name is dropped by Go's decoder.
    chat: [renameMaxCompletionTokens("LocalAI reads only max_tokens; it ignores max_completion_tokens")],
    reasoningEffort: { source: "LocalAI core/schema/openai.go OpenAIRequest.ReasoningEffort" },
    streamUsage: "include-usage",
  },
});
