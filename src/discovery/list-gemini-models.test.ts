/**
 * @module discovery/list-gemini-models.test
 * One page of Gemini's native `models.list` (wire-quirks.md §10b: ai.google.dev/api/models,
 * field names as in the newapi doc and adk-gemini `ModelInfo`).
 */
import { describe, expect, it } from "vitest";
import { parseGeminiModelPage } from "./list-gemini-models.js";

const FLASH = {
  name: "models/gemini-2.0-flash",
  baseModelId: "gemini-2.0-flash",
  version: "2.0",
  displayName: "Gemini 2.0 Flash",
  description: "…",
  inputTokenLimit: 1048576,
  outputTokenLimit: 8192,
  supportedGenerationMethods: ["generateContent", "countTokens"],
  temperature: 1,
  topP: 0.95,
  topK: 40,
  maxTemperature: 2,
  thinking: false,
};

describe("parseGeminiModelPage", () => {
  it("strips the models/ prefix and reads display name and input limit", () => {
    expect(parseGeminiModelPage({ models: [FLASH], nextPageToken: "page-2" })).toEqual({
      models: [{ id: "gemini-2.0-flash", type: "chat", ownedBy: "google", displayName: "Gemini 2.0 Flash", contextWindow: 1048576 }],
      nextPageToken: "page-2",
    });
  });

  it("classifies by supported methods, the name settling generateContent TTS models", () => {
    const json = {
      models: [
        { name: "models/text-embedding-004", displayName: "Text Embedding 004", inputTokenLimit: 2048, supportedGenerationMethods: ["embedContent"] },
        { name: "models/gemini-2.5-flash-preview-tts", supportedGenerationMethods: ["countTokens", "generateContent"] },
        { name: "models/imagen-3.0-generate-002", supportedGenerationMethods: ["predict"] },
        { name: "models/aqa", supportedGenerationMethods: ["generateAnswer"] },
      ],
    };
    expect(parseGeminiModelPage(json)?.models.map((model) => [model.id, model.type])).toEqual([
      ["text-embedding-004", "embedding"],
      ["gemini-2.5-flash-preview-tts", "tts"],
    ]);
  });

  it("reads `{}` (protobuf JSON omits an empty list) as an empty last page", () => {
    expect(parseGeminiModelPage({})).toEqual({ models: [], nextPageToken: undefined });
  });

  it("returns undefined for Gemini's native error object", () => {
    expect(parseGeminiModelPage({ error: { code: 400, message: "API key not valid.", status: "INVALID_ARGUMENT" } })).toBeUndefined();
  });
});
