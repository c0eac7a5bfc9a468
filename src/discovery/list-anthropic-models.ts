/**
 * @module discovery/list-anthropic-models
 * Anthropic's `GET /v1/models`: `{data:[{id,display_name,created_at,type}],has_more,first_id,last_id}`,
 * newest first, at most 1,000 per page, paged with `after_id` (wire-quirks.md §9a). Auth is
 * `x-api-key` plus the required `anthropic-version` header; a Bearer header is refused there.
 * @see https://docs.anthropic.com/en/api/models-list
 */
import { MAX_DISCOVERED_MODELS, MAX_LIST_PAGES } from "./discovery-limits.js";
import type { DiscoveredModel } from "./discovery-types.js";
import { joinPath, rootBefore } from "./base-url.js";
import type { ListSession } from "./list-session.js";
import { isRecord } from "../util/is-record.js";

/** The API version every Anthropic request must name; 2023-06-01 is the current one. */
export const ANTHROPIC_VERSION = "2023-06-01";

/** Anthropic's largest page. */
const PAGE_SIZE = 1000;

/** One page of Anthropic's list. */
export interface AnthropicModelPage {
  readonly models: DiscoveredModel[];
  readonly hasMore: boolean;
  readonly lastId: string | undefined;
}



/** Parses one page, or returns undefined when the JSON is not one. Every Claude model is a chat model. */
export function parseAnthropicModelPage(json: unknown): AnthropicModelPage | undefined {
  if (!isRecord(json) || !Array.isArray(json["data"])) return undefined;
  const models: DiscoveredModel[] = [];
  for (const entry of json["data"]) {
    if (!isRecord(entry) || typeof entry["id"] !== "string" || entry["id"] === "") continue;
    const displayName = entry["display_name"];
    models.push({ id: entry["id"], type: "chat", ...(typeof displayName === "string" && displayName !== "" ? { displayName } : {}) });
  }
  const lastId = typeof json["last_id"] === "string" && json["last_id"] !== "" ? json["last_id"] : models.at(-1)?.id;
  return { models, hasMore: json["has_more"] === true, lastId };
}

/** Lists Claude models, following `has_more` until done or a limit is reached. */
export async function listAnthropicModels(session: ListSession): Promise<DiscoveredModel[]> {
  // The base URL may be given with or without `/v1` (`https://api.anthropic.com[/v1]`).
  const endpoint = joinPath(rootBefore(session.input.baseUrl, /^v1$/), "/v1/models");
  const auth: Record<string, string> = { "anthropic-version": ANTHROPIC_VERSION, ...(session.apiKey === undefined ? {} : { "x-api-key": session.apiKey }) };
  const models: DiscoveredModel[] = [];
  let afterId: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES && models.length < MAX_DISCOVERED_MODELS; page += 1) {
    const url = new URL(endpoint);
    url.searchParams.set("limit", String(PAGE_SIZE));
    if (afterId !== undefined) url.searchParams.set("after_id", afterId);
    const answer = await session.getJson({ url, auth, pathHints: false });
    const parsed = parseAnthropicModelPage(answer.json);
    if (parsed === undefined) throw answer.notAList();
    models.push(...parsed.models);
    // A cursor that does not move would loop forever.
    if (!parsed.hasMore || parsed.lastId === undefined || parsed.lastId === afterId) break;
    afterId = parsed.lastId;
  }
  return models;
}
