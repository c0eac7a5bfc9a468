/**
 * @module gateway/parse-model-list
 * Reads an upstream's `GET /models` answer. Deliberately lenient, field by field, because real
 * servers differ (wire-quirks.md §0): Ollama sends `data: null` when no model is pulled, LM Studio
 * and DeepSeek omit `created`, OpenRouter omits `object` and `owned_by`, vLLM says `max_model_len`,
 * OpenRouter `context_length`, Groq `context_window`, and some servers answer a bare array.
 *
 * Written without zod on purpose: this runs in every serving process, and zod costs ~15 MB of
 * resident memory that a gateway without a config file otherwise never loads (docs/performance.md).
 */

/** One model as an upstream lists it, reduced to what the gateway uses. */
export interface UpstreamModel {
  readonly id: string;
  readonly created?: number;
  readonly ownedBy?: string;
  readonly contextWindow?: number;
}

function numberField(record: Record<string, unknown>, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = record[name];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return undefined;
}

/**
 * Parses a model list, or returns undefined when the value is not one: a 200 answer without a
 * `data` member is how a wrong base URL shows itself (LM Studio answers 200 to unknown paths).
 * Entries without a string `id` are skipped rather than failing the whole list.
 */
export function parseModelList(json: unknown): UpstreamModel[] | undefined {
  let entries: unknown;
  if (Array.isArray(json)) entries = json;
  else if (typeof json === "object" && json !== null && "data" in json) entries = (json as { data: unknown }).data ?? [];
  else return undefined;
  if (!Array.isArray(entries)) return undefined;
  const models: UpstreamModel[] = [];
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null) continue;
    const record = entry as Record<string, unknown>;
    if (typeof record["id"] !== "string" || record["id"] === "") continue;
    const created = numberField(record, "created");
    const contextWindow = numberField(record, "context_window", "context_length", "max_model_len");
    const ownedBy = record["owned_by"];
    models.push({
      id: record["id"],
      ...(created === undefined ? {} : { created }),
      ...(typeof ownedBy === "string" ? { ownedBy } : {}),
      ...(contextWindow === undefined ? {} : { contextWindow }),
    });
  }
  return models;
}
