/** @module providers/tgi — Hugging Face Text Generation Inference; opt-in through TGI_BASE_URL. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/**
 * TGI's Messages API. The launcher listens on 3000 (containers on 80, usually published as 8080);
 * no key unless `--api-key` is set. `max_completion_tokens` is a serde alias of `max_tokens` there,
 * so it passes; `response_format` and `logit_bias` have TGI's own shapes (router/src/lib.rs).
 * @see https://huggingface.co/docs/text-generation-inference/messages_api
 */
export const tgiKind = defineOpenAICompatibleKind({
  id: "tgi",
  displayName: "Text Generation Inference",
  local: true,
  optIn: true,
  defaults: { baseUrl: "http://127.0.0.1:3000/v1" },
  env: { baseUrl: ["TGI_BASE_URL"], apiKey: ["TGI_API_KEY"] },
  endpoints: ["chat", "completions", "models"],
  docs: "docs/providers/tgi.md",
  parameters: {
    chat: [
      {
        action: "convert",
        parameter: "response_format",
        converter: "tgi-response-format",
        reason: "TGI takes {type, value}; OpenAI's json_schema form fails to deserialise (422)",
      },
      { action: "drop", parameter: "logit_bias", reason: "TGI takes logit_bias as a list, not OpenAI's map (422)" },
    ],
    reasoningEffort: "unsupported",
    streamUsage: "include-usage",
  },
});
