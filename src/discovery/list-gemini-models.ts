/**
 * @module discovery/list-gemini-models
 * Gemini's native `GET /v1beta/models` (the OpenAI-compatible list says less and mixes in models
 * chat cannot use). Fields: `name: "models/gemini-2.0-flash"`, `displayName`, `inputTokenLimit`,
 * `supportedGenerationMethods`; paged with `pageSize` (max 1,000) and `nextPageToken`
 * (wire-quirks.md §10b). The key goes in `x-goog-api-key`, never in `?key=`, so it stays out of
 * URLs and every log that records them.
 * @see https://ai.google.dev/api/models#method:-models.list
 */
import { classifyModelType } from "./classify-model-type.js";
import { MAX_DISCOVERED_MODELS, MAX_LIST_PAGES } from "./discovery-limits.js";
import type { DiscoveredModel, ModelType } from "./discovery-types.js";
import { joinPath, rootBefore } from "./base-url.js";
import type { ListSession } from "./list-session.js";
import { isRecord, type JsonRecord } from "../util/is-record.js";

/** Gemini's largest page. */
const PAGE_SIZE = 1000;

/** One page of Gemini's list. */
export interface GeminiModelPage {
  readonly models: DiscoveredModel[];
  readonly nextPageToken: string | undefined;
}



/**
 * The type its methods imply, `null` for models no gateway endpoint can call (Imagen and Veo
 * offer only `predict`, AQA only `generateAnswer`), undefined when the methods are not listed.
 * `generateContent` alone does not settle it: the TTS models (`gemini-2.5-flash-preview-tts`)
 * are served through it too, so their name decides.
 */
function typeFromMethods(entry: JsonRecord, id: string): ModelType | null | undefined {
  const methods = entry["supportedGenerationMethods"];
  if (!Array.isArray(methods)) return undefined;
  if (methods.includes("embedContent") || methods.includes("embedText")) return "embedding";
  if (methods.includes("generateContent")) return classifyModelType(id);
  return null;
}

/** Parses one page, or returns undefined when the JSON is not one. */
export function parseGeminiModelPage(json: unknown): GeminiModelPage | undefined {
  if (!isRecord(json)) return undefined;
  const list = json["models"];
  if (list === undefined) {
    // Protobuf JSON omits empty lists, so a key that sees no models gets `{}`.
    return Object.keys(json).length === 0 ? { models: [], nextPageToken: undefined } : undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const models: DiscoveredModel[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry["name"] !== "string") continue;
    // Chat through the OpenAI-compatible endpoint wants `gemini-2.0-flash`; `models/…` has caused 404s.
    const id = entry["name"].replace(/^models\//, "");
    if (id === "") continue;
    const type = typeFromMethods(entry, id);
    if (type === null) continue;
    const displayName = entry["displayName"];
    const limit = entry["inputTokenLimit"];
    models.push({
      id,
      type: type ?? classifyModelType(id),
      ownedBy: "google",
      ...(typeof displayName === "string" && displayName !== "" ? { displayName } : {}),
      ...(typeof limit === "number" && Number.isFinite(limit) && limit > 0 ? { contextWindow: limit } : {}),
    });
  }
  const token = json["nextPageToken"];
  return { models, nextPageToken: typeof token === "string" && token !== "" ? token : undefined };
}

/** Lists Gemini models, following `nextPageToken` until done or a limit is reached. */
export async function listGeminiModels(session: ListSession): Promise<DiscoveredModel[]> {
  // The kind's base URL is the OpenAI endpoint (`…/v1beta/openai`); the native list sits beside it.
  const endpoint = joinPath(rootBefore(session.input.baseUrl, /^v\d+(beta|alpha)?\d*$/), "/v1beta/models");
  const auth: Record<string, string> = session.apiKey === undefined ? {} : { "x-goog-api-key": session.apiKey };
  const models: DiscoveredModel[] = [];
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES && models.length < MAX_DISCOVERED_MODELS; page += 1) {
    const url = new URL(endpoint);
    url.searchParams.set("pageSize", String(PAGE_SIZE));
    if (pageToken !== undefined) url.searchParams.set("pageToken", pageToken);
    const answer = await session.getJson({ url, auth, pathHints: false });
    const parsed = parseGeminiModelPage(answer.json);
    if (parsed === undefined) throw answer.notAList();
    models.push(...parsed.models);
    // A token seen before would loop forever.
    if (parsed.nextPageToken === undefined || seenTokens.has(parsed.nextPageToken)) break;
    seenTokens.add(parsed.nextPageToken);
    pageToken = parsed.nextPageToken;
  }
  return models;
}
