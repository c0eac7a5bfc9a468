/** @module providers/textgen-webui — text-generation-webui's OpenAI API; opt-in through TEXTGEN_WEBUI_BASE_URL. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/**
 * text-generation-webui (oobabooga), started with `--api` (port 5000). It serves only the model
 * loaded in its UI, whatever `model` says. Parameters outside its pydantic request model are
 * ignored silently (modules/api/typing.py), so the ones that change an answer are dropped here.
 * @see https://github.com/oobabooga/text-generation-webui/wiki/12-%E2%80%90-OpenAI-API
 */
export const textgenWebuiKind = defineOpenAICompatibleKind({
  id: "textgen-webui",
  displayName: "Text Generation WebUI",
  local: true,
  optIn: true,
  defaults: { baseUrl: "http://127.0.0.1:5000/v1" },
  env: { baseUrl: ["TEXTGEN_WEBUI_BASE_URL"], apiKey: ["TEXTGEN_WEBUI_API_KEY"] },
  docs: "docs/providers/textgen-webui.md",
  parameters: {
    chat: [
      { action: "drop", parameter: "response_format", reason: "text-generation-webui has no response_format and ignores it" },
      { action: "drop", parameter: "n", keep: [1], reason: "text-generation-webui ignores n in chat and returns one choice" },
    ],
    reasoningEffort: { source: "modules/api/typing.py GenerationOptions.reasoning_effort" },
    streamUsage: "include-usage",
    reasoningOutput: ["reasoning_content"],
  },
});
