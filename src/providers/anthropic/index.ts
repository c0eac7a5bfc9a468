/** @module providers/anthropic — Anthropic (Claude). */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/**
 * Anthropic. Chat goes through Anthropic's OpenAI SDK compatibility endpoint (`/v1/chat/completions`,
 * Bearer key) until native Messages translation lands; model discovery uses the native, paginated
 * `/v1/models` with `x-api-key` (src/discovery/list-anthropic-models.ts).
 * @see https://platform.claude.com/docs/en/api/openai-sdk
 */
export const anthropicKind = defineOpenAICompatibleKind({
  id: "anthropic",
  displayName: "Anthropic",
  local: false,
  defaults: { baseUrl: "https://api.anthropic.com/v1" },
  env: { apiKey: ["ANTHROPIC_API_KEY"] },
  endpoints: ["chat", "models"],
  modelList: "native",
  docs: "docs/providers/anthropic.md",
});
