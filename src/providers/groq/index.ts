/** @module providers/groq — Groq's OpenAI-compatible API. */
import { defineOpenAICompatibleKind } from "../define-openai-compatible-kind.js";

/** Groq: chat, Whisper transcription and PlayAI speech; no embeddings or legacy completions. */
export const groqKind = defineOpenAICompatibleKind({
  id: "groq",
  displayName: "Groq",
  local: false,
  defaults: { baseUrl: "https://api.groq.com/openai/v1" },
  env: { apiKey: ["GROQ_API_KEY"] },
  endpoints: ["chat", "speech", "transcriptions", "models"],
  docs: "docs/providers/groq.md",
  parameters: {
    reasoningEffort: { source: "console.groq.com/docs/reasoning (values depend on the model)" },
    // groq-python chat_completion_chunk.py: x_groq.usage is "only sent in the final chunk", asked or not.
    streamUsage: "always",
    usageAt: ["x_groq", "usage"],
    reasoningOutput: ["reasoning"],
  },
});
