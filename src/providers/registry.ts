/**
 * @module providers/registry
 * Every provider kind Switchyard knows, by id. Adding a kind means adding its folder and one line here.
 */
import { anthropicKind } from "./anthropic/index.js";
import { azureKind } from "./azure/index.js";
import { deepseekKind } from "./deepseek/index.js";
import { geminiKind } from "./gemini/index.js";
import { groqKind } from "./groq/index.js";
import { llamacppKind } from "./llamacpp/index.js";
import { localaiKind } from "./localai/index.js";
import { lmStudioKind } from "./lm-studio/index.js";
import { mistralKind } from "./mistral/index.js";
import { ollamaKind } from "./ollama/index.js";
import { openaiCompatKind } from "./openai-compat/index.js";
import { openaiKind } from "./openai/index.js";
import { openrouterKind } from "./openrouter/index.js";
import { togetherKind } from "./together/index.js";
import { textgenWebuiKind } from "./textgen-webui/index.js";
import { tgiKind } from "./tgi/index.js";
import type { ProviderKind } from "./types.js";
import { vllmKind } from "./vllm/index.js";
import { xaiKind } from "./xai/index.js";

/** All kinds, local ones first (the order banners and `/v1/models` use). */
export const PROVIDER_KINDS: readonly ProviderKind[] = [
  ollamaKind,
  lmStudioKind,
  vllmKind,
  llamacppKind,
  localaiKind,
  tgiKind,
  textgenWebuiKind,
  openaiCompatKind,
  openaiKind,
  groqKind,
  openrouterKind,
  mistralKind,
  deepseekKind,
  togetherKind,
  xaiKind,
  geminiKind,
  anthropicKind,
  azureKind,
];

const KINDS_BY_ID = new Map(PROVIDER_KINDS.map((kind) => [kind.id, kind]));

/** The ids accepted as `kind` in the config file. */
export const PROVIDER_KIND_IDS = PROVIDER_KINDS.map((kind) => kind.id) as [string, ...string[]];

/** Looks up a kind by id. */
export function getProviderKind(id: string): ProviderKind | undefined {
  return KINDS_BY_ID.get(id);
}
