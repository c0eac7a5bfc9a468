/** @module providers/openai-compat — any server that speaks OpenAI wire format. */
import { ALL_ENDPOINTS, defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/**
 * The generic kind. Each service may live on its own server with its own key (a chat server,
 * an embedding server, a TTS server such as Kokoro-FastAPI, an STT server such as speaches).
 */
export const openaiCompatKind = defineOpenAICompatibleKind({
  id: "openai-compat",
  displayName: "OpenAI-compatible server",
  local: true,
  defaults: { baseUrl: "http://127.0.0.1:8000/v1" },
  env: {
    baseUrl: ["OPENAI_COMPAT_BASE_URL", "OPENAI_COMPATIBLE_BASE_URL"],
    apiKey: ["OPENAI_COMPATIBLE_API_KEY", "OPENAI_COMPAT_API_KEY"],
    serviceBaseUrl: {
      chat: ["OPENAI_COMPATIBLE_BASE_URL_LLM"],
      embedding: ["OPENAI_COMPATIBLE_BASE_URL_EMBEDDING"],
      tts: ["OPENAI_COMPATIBLE_BASE_URL_TTS"],
      stt: ["OPENAI_COMPATIBLE_BASE_URL_STT"],
    },
    serviceApiKey: {
      chat: ["OPENAI_COMPATIBLE_API_KEY_LLM"],
      embedding: ["OPENAI_COMPATIBLE_API_KEY_EMBEDDING"],
      tts: ["OPENAI_COMPATIBLE_API_KEY_TTS"],
      stt: ["OPENAI_COMPATIBLE_API_KEY_STT"],
    },
  },
  endpoints: ALL_ENDPOINTS,
  docs: "docs/providers/openai-compat.md",
  // An unknown server: nothing is renamed or dropped, usage is never asked for, reasoning passes as sent.
  parameters: {},
});
