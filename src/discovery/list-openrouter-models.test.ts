/**
 * @module discovery/list-openrouter-models.test
 * OpenRouter's list: prices as per-token decimal strings, `context_length`, no `owned_by`
 * (wire-quirks.md §12, field names from OpenRouter's published schema; values illustrative).
 */
import { describe, expect, it } from "vitest";
import { parseOpenRouterModels, perTokenToPerMillion } from "./list-openrouter-models.js";

describe("perTokenToPerMillion", () => {
  it.each([
    ["0.00000015", 0.15],
    ["0.0000006", 0.6],
    ["0.000003", 3],
    ["0", 0],
    [0.000015, 15],
  ] as const)("turns %s per token into %s per million", (perToken, perMillion) => {
    expect(perTokenToPerMillion(perToken)).toBe(perMillion);
  });

  it("drops negative (openrouter/auto's '-1', meaning varies), empty and non-numeric prices", () => {
    expect(perTokenToPerMillion("-1")).toBeUndefined();
    expect(perTokenToPerMillion("")).toBeUndefined();
    expect(perTokenToPerMillion("free")).toBeUndefined();
    expect(perTokenToPerMillion(null)).toBeUndefined();
  });
});

describe("parseOpenRouterModels", () => {
  it("reads prices, context length, name and vendor", () => {
    const json = {
      data: [
        {
          id: "openai/gpt-4o-mini",
          canonical_slug: "openai/gpt-4o-mini",
          name: "OpenAI: GPT-4o-mini",
          created: 1721260800,
          description: "…",
          context_length: 128000,
          architecture: { input_modalities: ["text", "image", "file"], output_modalities: ["text"], tokenizer: "GPT", instruct_type: null },
          pricing: { prompt: "0.00000015", completion: "0.0000006", request: "0", image: "0.000217", web_search: "0", internal_reasoning: "0" },
          top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true },
          per_request_limits: null,
          supported_parameters: ["max_tokens", "temperature", "tools", "response_format", "seed"],
        },
        { id: "openrouter/auto", name: "Auto Router", context_length: 2000000, pricing: { prompt: "-1", completion: "-1" }, architecture: { output_modalities: ["text"] } },
      ],
    };
    expect(parseOpenRouterModels(json)).toEqual([
      { id: "openai/gpt-4o-mini", type: "chat", displayName: "OpenAI: GPT-4o-mini", contextWindow: 128000, inputPricePerMillion: 0.15, outputPricePerMillion: 0.6, ownedBy: "openai" },
      { id: "openrouter/auto", type: "chat", displayName: "Auto Router", contextWindow: 2000000, ownedBy: "openrouter" },
    ]);
  });

  it("takes the context length from top_provider when the model has none", () => {
    const json = { data: [{ id: "x/y", top_provider: { context_length: 32768 } }] };
    expect(parseOpenRouterModels(json)?.[0]?.contextWindow).toBe(32768);
  });

  it("classifies models whose output is embeddings", () => {
    const json = { data: [{ id: "openai/text-embedding-3-small", architecture: { output_modalities: ["embeddings"] } }] };
    expect(parseOpenRouterModels(json)?.[0]?.type).toBe("embedding");
  });

  it("returns undefined for JSON that is not a list", () => {
    expect(parseOpenRouterModels({ error: { code: 401, message: "No auth credentials found" } })).toBeUndefined();
  });
});
