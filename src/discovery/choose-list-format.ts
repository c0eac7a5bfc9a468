/**
 * @module discovery/choose-list-format
 * Which list endpoint a provider kind is asked, by kind id. Keyed on the id string rather than on
 * the registry, so kinds not registered yet (Anthropic, Azure) are listed correctly the day they
 * arrive, and a caller holding only a stored credential's kind name can use it.
 */
import type { DiscoveredModel } from "./discovery-types.js";
import { listAnthropicModels } from "./list-anthropic-models.js";
import { listAzureDeployments } from "./list-azure-deployments.js";
import { listGeminiModels } from "./list-gemini-models.js";
import { listOllamaModels } from "./list-ollama-models.js";
import { listOpenAIModels } from "./list-openai-models.js";
import { listOpenRouterModels } from "./list-openrouter-models.js";
import type { ListSession } from "./list-session.js";

/** The list formats discovery speaks. */
export type ListFormat = "openai" | "ollama" | "openrouter" | "anthropic" | "gemini" | "azure";

/** Kinds whose list is not the plain OpenAI one; every other kind id gets `openai`. */
const FORMAT_BY_KIND: Readonly<Record<string, ListFormat>> = {
  ollama: "ollama",
  openrouter: "openrouter",
  anthropic: "anthropic",
  gemini: "gemini",
  azure: "azure",
  "azure-openai": "azure",
  azure_openai: "azure",
};

/** The list format for a kind id. */
export function listFormatForKind(kindId: string): ListFormat {
  return Object.hasOwn(FORMAT_BY_KIND, kindId) ? (FORMAT_BY_KIND[kindId] ?? "openai") : "openai";
}

/** The function that lists each format. */
export const LISTERS: Readonly<Record<ListFormat, (session: ListSession) => Promise<DiscoveredModel[]>>> = {
  openai: listOpenAIModels,
  ollama: listOllamaModels,
  openrouter: listOpenRouterModels,
  anthropic: listAnthropicModels,
  gemini: listGeminiModels,
  azure: listAzureDeployments,
};
