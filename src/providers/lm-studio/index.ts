/** @module providers/lm-studio — LM Studio's local server, default port 1234. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/** LM Studio. The prefix is `lm_studio`, as in the routing convention users already know. */
export const lmStudioKind = defineOpenAICompatibleKind({
  id: "lm_studio",
  displayName: "LM Studio",
  local: true,
  defaults: { baseUrl: "http://127.0.0.1:1234/v1", apiKey: "lm-studio" },
  env: { baseUrl: ["LMSTUDIO_BASE_URL", "LM_STUDIO_BASE_URL"], apiKey: ["LMSTUDIO_API_KEY", "LM_STUDIO_API_KEY"] },
  docs: "docs/providers/lm-studio.md",
  // Its stream_options, reasoning fields and unknown-parameter handling are unverified (wire-quirks.md §3, §17).
  parameters: {},
});
