import { describe, expect, it } from "vitest";
import { parseModelList } from "./parse-model-list.js";

describe("parseModelList", () => {
  it("reads the canonical OpenAI list", () => {
    expect(parseModelList({ object: "list", data: [{ id: "gpt-4o", object: "model", created: 1, owned_by: "openai" }] })).toEqual([
      { id: "gpt-4o", created: 1, ownedBy: "openai" },
    ]);
  });

  it("treats Ollama's data: null as an empty list", () => {
    expect(parseModelList({ object: "list", data: null })).toEqual([]);
  });

  it("accepts entries without created or owned_by (LM Studio, DeepSeek, OpenRouter)", () => {
    expect(parseModelList({ data: [{ id: "qwen2.5-7b-instruct" }] })).toEqual([{ id: "qwen2.5-7b-instruct" }]);
  });

  it("reads the context window from whichever field the server uses", () => {
    expect(parseModelList({ data: [{ id: "a", max_model_len: 8192 }, { id: "b", context_length: 200000 }, { id: "c", context_window: 131072 }] })).toEqual([
      { id: "a", contextWindow: 8192 },
      { id: "b", contextWindow: 200000 },
      { id: "c", contextWindow: 131072 },
    ]);
  });

  it("accepts a bare array", () => {
    expect(parseModelList([{ id: "x" }])).toEqual([{ id: "x" }]);
  });

  it("skips entries without a string id instead of failing the list", () => {
    expect(parseModelList({ data: [{ id: 3 }, null, "x", { id: "" }, { id: "ok" }] })).toEqual([{ id: "ok" }]);
  });

  it("rejects an answer that is not a model list", () => {
    expect(parseModelList({ status: "ok" })).toBeUndefined();
    expect(parseModelList({ data: "nope" })).toBeUndefined();
    expect(parseModelList("<html>")).toBeUndefined();
  });
});
