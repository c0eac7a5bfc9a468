/**
 * @module discovery/list-openai-models.test
 * The OpenAI-style list on the shapes real servers send. Each fixture names its source in
 * shared/reference/wire-quirks.md.
 */
import { describe, expect, it } from "vitest";
import { openAIModelsUrl, parseOpenAIModelList } from "./list-openai-models.js";

describe("parseOpenAIModelList", () => {
  it("reads OpenAI's canonical list (openapi.yaml listModels example, §1)", () => {
    const json = { object: "list", data: [{ id: "gpt-4o-mini", object: "model", created: 1686935002, owned_by: "system", shutdown_date: null }, { id: "text-embedding-3-small", object: "model", created: 1, owned_by: "system" }] };
    expect(parseOpenAIModelList(json)).toEqual([
      { id: "gpt-4o-mini", type: "chat", ownedBy: "system" },
      { id: "text-embedding-3-small", type: "embedding", ownedBy: "system" },
    ]);
  });

  it("reads Ollama's `data: null` with nothing pulled as an empty list (§2)", () => {
    expect(parseOpenAIModelList({ object: "list", data: null })).toEqual([]);
  });

  it("reads LM Studio's list without `created` (§3)", () => {
    const json = { data: [{ id: "qwen3.5-35b-a3b", object: "model", owned_by: "organization_owner" }, { id: "text-embedding-nomic-embed-text-v1.5", object: "model", owned_by: "organization_owner" }], object: "list" };
    expect(parseOpenAIModelList(json)?.map((model) => [model.id, model.type])).toEqual([
      ["qwen3.5-35b-a3b", "chat"],
      ["text-embedding-nomic-embed-text-v1.5", "embedding"],
    ]);
  });

  it("reads vLLM's max_model_len as the context window (§4 ModelCard)", () => {
    const json = { object: "list", data: [{ id: "meta-llama/Llama-3.1-8B-Instruct", object: "model", created: 1767000000, owned_by: "vllm", root: "meta-llama/Llama-3.1-8B-Instruct", parent: null, max_model_len: 131072, permission: [] }] };
    expect(parseOpenAIModelList(json)).toEqual([{ id: "meta-llama/Llama-3.1-8B-Instruct", type: "chat", ownedBy: "vllm", contextWindow: 131072 }]);
  });

  it("reads Groq's context_window (§11) and classifies its Whisper and PlayAI models", () => {
    const json = {
      object: "list",
      data: [
        { id: "llama-3.3-70b-versatile", object: "model", created: 1733447754, owned_by: "Meta", active: true, context_window: 131072 },
        { id: "whisper-large-v3", object: "model", created: 1693721698, owned_by: "OpenAI", active: true, context_window: 448 },
        { id: "playai-tts", object: "model", created: 1740682771, owned_by: "PlayAI", active: true, context_window: 8192 },
      ],
    };
    expect(parseOpenAIModelList(json)?.map((model) => [model.id, model.type, model.contextWindow])).toEqual([
      ["llama-3.3-70b-versatile", "chat", 131072],
      ["whisper-large-v3", "stt", 448],
      ["playai-tts", "tts", 8192],
    ]);
  });

  it("reads LocalAI's bare entries with only id and object (§6)", () => {
    expect(parseOpenAIModelList({ object: "list", data: [{ id: "gpt-4", object: "model" }, { id: "whisper-1", object: "model" }] })).toEqual([
      { id: "gpt-4", type: "chat" },
      { id: "whisper-1", type: "stt" },
    ]);
  });

  it("uses speaches' task label over the name (§16)", () => {
    const json = { data: [{ id: "Systran/faster-whisper-small", created: 0, object: "model", owned_by: "Systran", language: ["en"], task: "automatic-speech-recognition" }, { id: "speaches-ai/Kokoro-82M-v1.0-ONNX", created: 0, object: "model", owned_by: "speaches-ai", task: "text-to-speech" }], object: "list" };
    expect(parseOpenAIModelList(json)?.map((model) => model.type)).toEqual(["stt", "tts"]);
  });

  it("reads a bare array and Together-style type labels and display names", () => {
    const json = [
      { id: "BAAI/bge-large-en-v1.5", object: "model", type: "embedding", display_name: "BAAI-Bge-Large-1p5", context_length: 512 },
      { id: "meta-llama/Llama-3.3-70B-Instruct-Turbo", object: "model", type: "chat", display_name: "Meta Llama 3.3 70B Instruct Turbo", context_length: 131072 },
    ];
    expect(parseOpenAIModelList(json)).toEqual([
      { id: "BAAI/bge-large-en-v1.5", type: "embedding", displayName: "BAAI-Bge-Large-1p5", contextWindow: 512 },
      { id: "meta-llama/Llama-3.3-70B-Instruct-Turbo", type: "chat", displayName: "Meta Llama 3.3 70B Instruct Turbo", contextWindow: 131072 },
    ]);
  });

  it("skips entries without an id instead of failing the list", () => {
    expect(parseOpenAIModelList({ data: [{ object: "model" }, null, { id: "ok" }] })).toEqual([{ id: "ok", type: "chat" }]);
  });

  it("returns undefined for JSON that is not a model list (LM Studio's 200 to unknown paths, §3)", () => {
    expect(parseOpenAIModelList({ error: "Unexpected endpoint or method. (GET /models)" })).toBeUndefined();
    expect(parseOpenAIModelList("hello")).toBeUndefined();
  });
});

describe("openAIModelsUrl", () => {
  it("appends /models to the base URL's path and keeps its query", () => {
    expect(openAIModelsUrl("https://api.groq.com/openai/v1/").toString()).toBe("https://api.groq.com/openai/v1/models");
    expect(openAIModelsUrl("http://127.0.0.1:9/v1?tenant=a").toString()).toBe("http://127.0.0.1:9/v1/models?tenant=a");
  });
});
