/** @module console/labels — words the pages use for model types and breaker states. */
import type { DeploymentHealth, ModelType } from "./api/types.js";

/** Model types as people say them (the words: language, embedding, speech, transcription). */
export const TYPE_LABELS: Readonly<Record<ModelType, string>> = {
  chat: "Language",
  embedding: "Embedding",
  tts: "Speech",
  stt: "Transcription",
};

/** Circuit-breaker states in plain words. */
export const BREAKER_LABELS: Readonly<Record<DeploymentHealth["breaker"]["state"], string>> = {
  closed: "Healthy",
  open: "Paused after failures",
  half_open: "Probing",
};
