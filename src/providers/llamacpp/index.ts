/** @module providers/llamacpp — llama.cpp's `llama-server`, default port 8080. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/** llama.cpp. Without `--api-key` it needs no key, so none is sent unless one is configured. */
export const llamacppKind = defineOpenAICompatibleKind({
  id: "llamacpp",
  displayName: "llama.cpp server",
  local: true,
  defaults: { baseUrl: "http://127.0.0.1:8080/v1" },
  env: { baseUrl: ["LLAMACPP_BASE_URL"], apiKey: ["LLAMACPP_API_KEY"] },
  docs: "docs/providers/llamacpp.md",
  parameters: {
    // oaicompat_chat_params_parse: "Only one completion choice is allowed" (a 500 in some builds).
    chat: [{ action: "drop", parameter: "n", keep: [1], reason: "llama-server refuses n other than 1" }],
    streamUsage: "include-usage",
    reasoningOutput: ["reasoning_content"],
  },
});
