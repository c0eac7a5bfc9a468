/**
 * @module discovery/list-ollama-models
 * Ollama's native list, `GET {origin}/api/tags`, where origin is the base URL without its `/v1`.
 * It says more than `/v1/models`: the model family (BERT-family models are embedders) and, in
 * newer builds, `capabilities` (wire-quirks.md §2, Ollama `api/types.go` `ListModelResponse`).
 * When `/api/tags` is missing or odd — a proxy that only forwards `/v1` — the OpenAI list is used.
 */
import type { DiscoveredModel, ModelType } from "./discovery-types.js";
import { classifyModelType } from "./classify-model-type.js";
import { DiscoveryError } from "./discovery-error.js";
import { joinPath, rootBefore } from "./base-url.js";
import { bearerAuth, listOpenAIModels } from "./list-openai-models.js";
import type { ListSession } from "./list-session.js";
import { isRecord, type JsonRecord } from "../util/is-record.js";



function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/**
 * Families whose GGUF architecture only embeds: nomic-embed-text (`nomic-bert`), mxbai-embed-large,
 * all-minilm and snowflake-arctic-embed (`bert`), bge-m3 (`xlm-roberta`), jina-embeddings (`jina-bert-v2`).
 */
const EMBEDDING_FAMILIES = new Set(["bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "xlm-roberta"]);

function statedType(entry: JsonRecord, details: JsonRecord): ModelType | undefined {
  // `capabilities` (["completion","tools","vision"] or ["embedding"]) is authoritative when present.
  const capabilities = strings(entry["capabilities"]);
  if (capabilities.includes("embedding")) return "embedding";
  if (capabilities.includes("completion")) return "chat";
  const families = [...strings(details["families"]), ...strings([details["family"]])];
  if (families.some((family) => EMBEDDING_FAMILIES.has(family.toLowerCase()))) return "embedding";
  return undefined;
}

/** Ollama's `owned_by` rule: the namespace of `namespace/model` (`hf.co/user/repo` → `user`), else `library`. */
function namespaceOf(name: string): string {
  const parts = name.split(":")[0]?.split("/") ?? [];
  return parts.length >= 2 ? (parts[parts.length - 2] ?? "library") : "library";
}

/**
 * Parses an `/api/tags` answer, or returns undefined when it is not one. `models` is `null` on an
 * Ollama with nothing pulled (a nil Go slice), which means an empty list.
 */
export function parseOllamaTags(json: unknown): DiscoveredModel[] | undefined {
  if (!isRecord(json) || !("models" in json)) return undefined;
  const list = json["models"] ?? [];
  if (!Array.isArray(list)) return undefined;
  const models: DiscoveredModel[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const name = typeof entry["name"] === "string" && entry["name"] !== "" ? entry["name"] : entry["model"];
    if (typeof name !== "string" || name === "") continue;
    const details = isRecord(entry["details"]) ? entry["details"] : {};
    const contextLength = details["context_length"];
    models.push({
      id: name,
      type: classifyModelType(name, statedType(entry, details)),
      ownedBy: namespaceOf(name),
      ...(typeof contextLength === "number" && Number.isFinite(contextLength) && contextLength > 0 ? { contextWindow: contextLength } : {}),
    });
  }
  return models;
}

/** Failures that mean "no answer at all": asking `/v1/models` on the same host cannot do better. */
const NO_ANSWER = new Set<DiscoveryError["code"]>(["refused", "dns", "tls", "timeout", "unreachable"]);

/** Lists models through `/api/tags`, falling back to `{base}/models`. */
export async function listOllamaModels(session: ListSession): Promise<DiscoveredModel[]> {
  const url = joinPath(rootBefore(session.input.baseUrl, /^v1$/), "/api/tags");
  try {
    const answer = await session.getJson({ url, auth: bearerAuth(session.apiKey), pathHints: false });
    const models = parseOllamaTags(answer.json);
    if (models !== undefined) return models;
  } catch (error) {
    if (!(error instanceof DiscoveryError) || NO_ANSWER.has(error.code)) throw error;
  }
  return listOpenAIModels(session);
}
