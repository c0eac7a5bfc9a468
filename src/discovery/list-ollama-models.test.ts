/**
 * @module discovery/list-ollama-models.test
 * Ollama's native `/api/tags` list (wire-quirks.md §2: docs/api.md "List Local Models" example,
 * `api/types.go` ListModelResponse with optional `capabilities` and `details.context_length`).
 */
import { describe, expect, it } from "vitest";
import { parseOllamaTags } from "./list-ollama-models.js";

function tag(name: string, family: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    model: name,
    modified_at: "2025-05-10T08:06:48.639712648-07:00",
    size: 4683075271,
    digest: "0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163",
    details: { parent_model: "", format: "gguf", family, families: [family], parameter_size: "7.6B", quantization_level: "Q4_K_M" },
    ...extra,
  };
}

describe("parseOllamaTags", () => {
  it("reads the docs example and classifies by family", () => {
    const json = { models: [tag("deepseek-r1:latest", "qwen2"), tag("nomic-embed-text:latest", "nomic-bert"), tag("mxbai-embed-large:latest", "bert"), tag("bge-m3:latest", "xlm-roberta")] };
    expect(parseOllamaTags(json)?.map((model) => [model.id, model.type])).toEqual([
      ["deepseek-r1:latest", "chat"],
      ["nomic-embed-text:latest", "embedding"],
      ["mxbai-embed-large:latest", "embedding"],
      ["bge-m3:latest", "embedding"],
    ]);
  });

  it("prefers stated capabilities over the family", () => {
    const json = { models: [tag("qwen3-embedding:8b", "qwen3", { capabilities: ["embedding"] }), tag("odd-bert-chat:1b", "bert", { capabilities: ["completion"] })] };
    expect(parseOllamaTags(json)?.map((model) => model.type)).toEqual(["embedding", "chat"]);
  });

  it("reads details.context_length and the owner namespace", () => {
    const json = { models: [tag("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", "llama", { details: { family: "llama", context_length: 131072 } }), tag("llama3.2:latest", "llama")] };
    expect(parseOllamaTags(json)).toEqual([
      { id: "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", type: "chat", ownedBy: "bartowski", contextWindow: 131072 },
      { id: "llama3.2:latest", type: "chat", ownedBy: "library" },
    ]);
  });

  it("reads `models: null` (nothing pulled, a nil Go slice) as an empty list", () => {
    expect(parseOllamaTags({ models: null })).toEqual([]);
  });

  it("returns undefined for anything that is not a tags answer", () => {
    expect(parseOllamaTags({ object: "list", data: [] })).toBeUndefined();
    expect(parseOllamaTags({ models: "nope" })).toBeUndefined();
  });
});
