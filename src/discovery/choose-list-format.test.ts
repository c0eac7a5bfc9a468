/**
 * @module discovery/choose-list-format.test
 * Each kind id is asked its own list endpoint; unknown and generic kinds get the OpenAI one.
 */
import { describe, expect, it } from "vitest";
import { PROVIDER_KIND_IDS } from "../providers/registry.js";
import { LISTERS, listFormatForKind } from "./choose-list-format.js";

describe("listFormatForKind", () => {
  it.each([
    ["ollama", "ollama"],
    ["openrouter", "openrouter"],
    ["anthropic", "anthropic"],
    ["gemini", "gemini"],
    ["azure", "azure"],
    ["groq", "openai"],
    ["vllm", "openai"],
    ["lm_studio", "openai"],
    ["openai-compat", "openai"],
    ["something-new", "openai"],
    ["constructor", "openai"],
  ] as const)("lists kind %s in the %s format", (kind, format) => {
    expect(listFormatForKind(kind)).toBe(format);
  });

  it("has a lister for every registered kind", () => {
    for (const kind of PROVIDER_KIND_IDS) expect(typeof LISTERS[listFormatForKind(kind)]).toBe("function");
  });
});
