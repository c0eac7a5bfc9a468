/** @module providers/anthropic — Anthropic (Claude). */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/**
 * Anthropic. Chat speaks the native Messages API (`/v1/messages`, `x-api-key`), translated by
 * native-translation.ts; a provider with `api: openai-compatible` uses Anthropic's OpenAI SDK
 * compatibility endpoint (`/v1/chat/completions`, Bearer key) instead. Model discovery uses the
 * native, paginated `/v1/models` with `x-api-key` (src/discovery/list-anthropic-models.ts).
 * @see https://platform.claude.com/docs/en/api/messages
 * @see https://platform.claude.com/docs/en/api/openai-sdk
 */
export const anthropicKind = defineOpenAICompatibleKind({
  id: "anthropic",
  displayName: "Anthropic",
  local: false,
  wire: "anthropic-messages",
  defaults: { baseUrl: "https://api.anthropic.com/v1" },
  env: { apiKey: ["ANTHROPIC_API_KEY"] },
  endpoints: ["chat", "models"],
  modelList: "native",
  docs: "docs/providers/anthropic.md",
});
