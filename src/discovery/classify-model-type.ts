/**
 * @module discovery/classify-model-type
 * Decides what a discovered model is for. Metadata the provider states wins; otherwise the name
 * decides, because most servers (OpenAI, vLLM, LM Studio, llama.cpp) list every model alike and
 * their ids are the only clue.
 */
import type { ModelType } from "./discovery-types.js";

/** A name fragment that must stand as its own word, so `matts-llm` is not taken for text-to-speech. */
function word(fragment: string): RegExp {
  return new RegExp(`(^|[^a-z0-9])${fragment}([^a-z0-9]|$)`);
}

/**
 * Checked in this order: speech-to-text first, so `speech-to-text` and `speecht5_asr` are not taken
 * for text-to-speech by their `speech`; embeddings last, as their fragments are the most generic.
 */
const NAME_RULES: readonly (readonly [ModelType, readonly RegExp[]])[] = [
  // whisper (OpenAI, Groq, speaches), gpt-4o-transcribe, NVIDIA parakeet, generic ASR/STT names.
  ["stt", [/whisper/, /transcri/, /parakeet/, /speech-?to-?text/, /speech2text/, word("stt"), word("asr")]],
  // tts-1, gpt-4o-mini-tts, playai-tts, gemini-…-tts, Kokoro, Piper, Orpheus, Coqui XTTS.
  ["tts", [word("tts"), /xtts/, /speech/, /kokoro/, /piper/, /orpheus/]],
  // text-embedding-3, nomic-embed-text, mxbai-embed-large, BAAI/bge-m3, intfloat/e5, all-minilm, gte.
  ["embedding", [/embed/, word("bge"), word("e5"), /mxbai/, /minilm/, word("gte")]],
];

/** Classifies a model by its id alone. */
export function modelTypeFromName(id: string): ModelType {
  const name = id.toLowerCase();
  for (const [type, patterns] of NAME_RULES) {
    if (patterns.some((pattern) => pattern.test(name))) return type;
  }
  return "chat";
}

/**
 * Labels providers put on models, lower-cased: Together's `type`, LM Studio's `type`
 * (`llm`, `vlm`, `embeddings`), speaches' `task` (Hugging Face pipeline names), and the like.
 */
const LABELS: Readonly<Record<string, ModelType>> = {
  chat: "chat",
  language: "chat",
  llm: "chat",
  vlm: "chat",
  code: "chat",
  completion: "chat",
  "text-generation": "chat",
  embedding: "embedding",
  embeddings: "embedding",
  "text-embedding": "embedding",
  "feature-extraction": "embedding",
  "sentence-similarity": "embedding",
  tts: "tts",
  "text-to-speech": "tts",
  "text-to-audio": "tts",
  stt: "stt",
  asr: "stt",
  transcribe: "stt",
  transcription: "stt",
  "speech-to-text": "stt",
  "automatic-speech-recognition": "stt",
};

/** Maps a provider's own label to a type; undefined for labels that say nothing (Anthropic's `type: "model"`). */
export function modelTypeFromLabel(label: unknown): ModelType | undefined {
  return typeof label === "string" ? LABELS[label.trim().toLowerCase()] : undefined;
}

/** The model's type: the stated one when the provider gave it, else judged from the id. */
export function classifyModelType(id: string, stated?: ModelType): ModelType {
  return stated ?? modelTypeFromName(id);
}
