/**
 * @module discovery/classify-model-type.test
 * Model types come from the provider's own label when it gives one, otherwise from the id; the
 * ids below are real names from OpenAI, Ollama, Groq, Hugging Face, speaches and Kokoro lists.
 */
import { describe, expect, it } from "vitest";
import { classifyModelType, modelTypeFromLabel, modelTypeFromName } from "./classify-model-type.js";

describe("modelTypeFromName", () => {
  it.each([
    "text-embedding-3-small",
    "nomic-embed-text:latest",
    "mxbai-embed-large",
    "BAAI/bge-m3",
    "bge-large-en-v1.5",
    "intfloat/multilingual-e5-large",
    "all-minilm:l6-v2",
    "thenlper/gte-large",
    "qwen3-embedding:8b",
    "models/text-embedding-004",
  ])("classifies %s as an embedding model", (id) => {
    expect(modelTypeFromName(id)).toBe("embedding");
  });

  it.each(["tts-1", "tts-1-hd", "gpt-4o-mini-tts", "playai-tts", "gemini-2.5-flash-preview-tts", "kokoro", "hexgrad/Kokoro-82M", "piper-en-us", "orpheus-3b", "microsoft/speecht5_tts", "coqui/XTTS-v2"])(
    "classifies %s as text-to-speech",
    (id) => {
      expect(modelTypeFromName(id)).toBe("tts");
    },
  );

  it.each(["whisper-1", "whisper-large-v3-turbo", "Systran/faster-whisper-small", "gpt-4o-transcribe", "nvidia/parakeet-tdt-0.6b-v2", "my-stt-model", "speech-to-text-v2", "facebook/wav2vec2-asr"])(
    "classifies %s as speech-to-text",
    (id) => {
      expect(modelTypeFromName(id)).toBe("stt");
    },
  );

  it.each(["gpt-4o-mini", "llama3.2:latest", "meta-llama/Llama-3.1-8B-Instruct", "claude-sonnet-4-5", "deepseek-reasoner", "mattsmith/assistant", "gemma3:27b", "qwen2.5-coder:7b"])(
    "classifies %s as a chat model",
    (id) => {
      expect(modelTypeFromName(id)).toBe("chat");
    },
  );

  it("does not read 'tts' inside another word as text-to-speech", () => {
    expect(modelTypeFromName("buttsy-7b")).toBe("chat");
  });
});

describe("modelTypeFromLabel", () => {
  it.each([
    ["automatic-speech-recognition", "stt"],
    ["text-to-speech", "tts"],
    ["embeddings", "embedding"],
    ["Embedding", "embedding"],
    ["llm", "chat"],
    ["vlm", "chat"],
    ["chat", "chat"],
  ] as const)("reads the label %s as %s", (label, type) => {
    expect(modelTypeFromLabel(label)).toBe(type);
  });

  it("ignores labels that say nothing about the use, such as Anthropic's type: model", () => {
    expect(modelTypeFromLabel("model")).toBeUndefined();
    expect(modelTypeFromLabel(42)).toBeUndefined();
    expect(modelTypeFromLabel(undefined)).toBeUndefined();
  });
});

describe("classifyModelType", () => {
  it("prefers the stated type over the name", () => {
    expect(classifyModelType("whisper-lookalike-chat", "chat")).toBe("chat");
  });

  it("falls back to the name when nothing is stated", () => {
    expect(classifyModelType("nomic-embed-text")).toBe("embedding");
  });
});
