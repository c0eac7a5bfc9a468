/**
 * @module discovery/list-openrouter-models
 * OpenRouter's `GET /api/v1/models`: `{"data":[…]}` with no `object` or `owned_by`, a `name`, a
 * `context_length`, and `pricing.prompt` / `pricing.completion` as decimal STRINGS in USD per token
 * (wire-quirks.md §12). Prices become numbers per million tokens, the unit Switchyard stores.
 */
import { modelTypeFromLabel } from "./classify-model-type.js";
import type { DiscoveredModel, ModelType } from "./discovery-types.js";
import { bearerAuth, entriesById, openAIModelsUrl, parseOpenAIModelList } from "./list-openai-models.js";
import type { ListSession } from "./list-session.js";
import { isRecord, type JsonRecord } from "../util/is-record.js";



const TOKENS_PER_MILLION = 1_000_000;

/**
 * A per-token price (string or number) as USD per million tokens. Negative prices are dropped:
 * OpenRouter gives its routers (`openrouter/auto`) a price of `"-1"`, meaning "varies".
 * Rounded to 12 significant digits so `"0.00000015"` becomes 0.15, not 0.15000000000000002.
 */
export function perTokenToPerMillion(value: unknown): number | undefined {
  const perToken = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof perToken !== "number" || !Number.isFinite(perToken) || perToken < 0) return undefined;
  return Number((perToken * TOKENS_PER_MILLION).toPrecision(12));
}

/** `architecture.output_modalities`: embedding models output `embeddings`, speech models only `audio`. */
function statedType(entry: JsonRecord): ModelType | undefined {
  const architecture = isRecord(entry["architecture"]) ? entry["architecture"] : {};
  const outputs = Array.isArray(architecture["output_modalities"]) ? architecture["output_modalities"] : [];
  if (outputs.includes("embeddings") || outputs.includes("embedding")) return "embedding";
  if (outputs.includes("text")) return "chat";
  return modelTypeFromLabel(entry["type"]);
}

/** Parses OpenRouter's list, or returns undefined when the JSON is not a model list. */
export function parseOpenRouterModels(json: unknown): DiscoveredModel[] | undefined {
  const models = parseOpenAIModelList(json);
  if (models === undefined) return undefined;
  const raw = entriesById(json);
  return models.map((model) => {
    const entry = raw.get(model.id) ?? {};
    const pricing = isRecord(entry["pricing"]) ? entry["pricing"] : {};
    const input = perTokenToPerMillion(pricing["prompt"]);
    const output = perTokenToPerMillion(pricing["completion"]);
    const topProvider = isRecord(entry["top_provider"]) ? entry["top_provider"] : {};
    const contextWindow = model.contextWindow ?? (typeof topProvider["context_length"] === "number" ? topProvider["context_length"] : undefined);
    // OpenRouter has no `owned_by`; the vendor is the id's first segment (`anthropic/claude-…`).
    const vendor = model.id.includes("/") ? model.id.slice(0, model.id.indexOf("/")) : undefined;
    const stated = statedType(entry);
    return {
      ...model,
      type: stated ?? model.type,
      ...(contextWindow === undefined ? {} : { contextWindow }),
      ...(input === undefined ? {} : { inputPricePerMillion: input }),
      ...(output === undefined ? {} : { outputPricePerMillion: output }),
      ...(model.ownedBy === undefined && vendor !== undefined ? { ownedBy: vendor } : {}),
    };
  });
}

/** Lists OpenRouter's models. */
export async function listOpenRouterModels(session: ListSession): Promise<DiscoveredModel[]> {
  const answer = await session.getJson({ url: openAIModelsUrl(session.input.baseUrl), auth: bearerAuth(session.apiKey), pathHints: true });
  const models = parseOpenRouterModels(answer.json);
  if (models === undefined) throw answer.notAList();
  return models;
}
