/**
 * @module discovery/list-azure-deployments
 * Azure OpenAI's deployments, `GET {endpoint}/openai/deployments?api-version=2022-12-01` with the
 * `api-key` header. On Azure the deployment name takes the model's place in every call, so the
 * deployments — not the resource's model catalogue (`/openai/models`) — are what can be registered.
 * Each entry is `{id, model, owner, status, object: "deployment"}`, where `id` is the deployment name.
 * Data-plane listing exists only in older api-versions (wire-quirks.md §13), hence the pinned one.
 */
import { classifyModelType } from "./classify-model-type.js";
import type { DiscoveredModel } from "./discovery-types.js";
import { joinPath, rootBefore } from "./base-url.js";
import type { ListSession } from "./list-session.js";
import { isRecord } from "../util/is-record.js";

/** The last GA api-version that still lists deployments on the data plane. */
export const AZURE_DEPLOYMENTS_API_VERSION = "2022-12-01";



/** Parses the deployments list, or returns undefined when the JSON is not one. */
export function parseAzureDeployments(json: unknown): DiscoveredModel[] | undefined {
  if (!isRecord(json)) return undefined;
  const list = json["data"];
  if (!Array.isArray(list)) return undefined;
  const models: DiscoveredModel[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry["id"] !== "string" || entry["id"] === "") continue;
    const deployment = entry["id"];
    const model = typeof entry["model"] === "string" && entry["model"] !== "" ? entry["model"] : undefined;
    models.push({
      id: deployment,
      // Deployment names are whatever the user chose; the model behind it says what it does.
      type: classifyModelType(model ?? deployment),
      ...(model === undefined || model === deployment ? {} : { displayName: `${deployment} (${model})` }),
      ...(typeof entry["owner"] === "string" && entry["owner"] !== "" ? { ownedBy: entry["owner"] } : {}),
    });
  }
  return models;
}

/** Lists an Azure OpenAI resource's deployments. */
export async function listAzureDeployments(session: ListSession): Promise<DiscoveredModel[]> {
  // The endpoint may be given bare or with the `/openai/…` path a chat URL carries.
  const url = joinPath(rootBefore(session.input.baseUrl, /^openai$/), "/openai/deployments");
  url.searchParams.set("api-version", AZURE_DEPLOYMENTS_API_VERSION);
  const auth: Record<string, string> = session.apiKey === undefined ? {} : { "api-key": session.apiKey };
  const answer = await session.getJson({ url, auth, pathHints: false });
  const models = parseAzureDeployments(answer.json);
  if (models === undefined) throw answer.notAList();
  return models;
}
