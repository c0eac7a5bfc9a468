/**
 * @module discovery/list-openai-models
 * The OpenAI format, `GET {base}/models` with `Authorization: Bearer`: what OpenAI, Groq, vLLM,
 * LM Studio, llama.cpp, LocalAI, TGI, DeepSeek, Mistral, Together and the generic kind serve.
 * Parsing reuses the gateway's lenient {@link parseModelList} (Ollama's `data: null`, no `created`
 * on LM Studio and DeepSeek, bare arrays, Groq `context_window`, vLLM `max_model_len`), then reads
 * the few labels some servers add for the model's type and display name.
 */
import { parseModelList } from "../gateway/parse-model-list.js";
import { classifyModelType, modelTypeFromLabel } from "./classify-model-type.js";
import type { DiscoveredModel } from "./discovery-types.js";
import { joinPath } from "./base-url.js";
import type { ListSession } from "./list-session.js";
import { isRecord, type JsonRecord } from "../util/is-record.js";



/** The raw list entries by id, for fields {@link parseModelList} does not keep. */
export function entriesById(json: unknown): Map<string, JsonRecord> {
  const list = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json["data"]) ? json["data"] : [];
  const byId = new Map<string, JsonRecord>();
  for (const entry of list) {
    if (isRecord(entry) && typeof entry["id"] === "string" && !byId.has(entry["id"])) byId.set(entry["id"], entry);
  }
  return byId;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * Parses an OpenAI-style model list, or returns undefined when the JSON is not one (a wrong base
 * URL answering 200). Type labels read: speaches' `task` (`automatic-speech-recognition`,
 * `text-to-speech`), Together's and LM Studio's `type` (`embedding`, `chat`, `llm`, `embeddings`).
 */
export function parseOpenAIModelList(json: unknown): DiscoveredModel[] | undefined {
  const models = parseModelList(json);
  if (models === undefined) return undefined;
  const raw = entriesById(json);
  return models.map((model) => {
    const entry = raw.get(model.id) ?? {};
    const stated = modelTypeFromLabel(entry["task"]) ?? modelTypeFromLabel(entry["type"]);
    // Together and Anthropic say `display_name`, OpenRouter `name`.
    const displayName = nonEmptyString(entry["display_name"]) ?? nonEmptyString(entry["name"]);
    return {
      id: model.id,
      type: classifyModelType(model.id, stated),
      ...(displayName === undefined || displayName === model.id ? {} : { displayName }),
      ...(model.contextWindow === undefined ? {} : { contextWindow: model.contextWindow }),
      ...(model.ownedBy === undefined ? {} : { ownedBy: model.ownedBy }),
    };
  });
}

/** The models URL: the base URL (with its query, as the gateway sends it) plus `/models`. */
export function openAIModelsUrl(baseUrl: string): URL {
  const base = new URL(baseUrl);
  const url = joinPath(base, "/models");
  url.search = base.search;
  return url;
}

/** Bearer auth, when there is a key. */
export function bearerAuth(apiKey: string | undefined): Record<string, string> {
  return apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };
}

/** Lists models in the OpenAI format. */
export async function listOpenAIModels(session: ListSession): Promise<DiscoveredModel[]> {
  const answer = await session.getJson({ url: openAIModelsUrl(session.input.baseUrl), auth: bearerAuth(session.apiKey), pathHints: true });
  const models = parseOpenAIModelList(answer.json);
  if (models === undefined) throw answer.notAList();
  return models;
}
