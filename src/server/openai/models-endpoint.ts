/**
 * @module server/openai/models-endpoint
 * `GET /v1/models` and `GET /v1/models/{id}` (ids contain `/`).
 */
import type { ServerResponse } from "node:http";
import { GatewayError } from "../../errors/gateway-error.js";
import { sendJson } from "../send.js";
import type { ServerContext } from "../server-context.js";

/** Header naming the providers left out of the list (`lm_studio, vllm`); the reasons go to the debug log. */
export const SKIPPED_PROVIDERS_HEADER = "x-switchyard-skipped-providers";

/** Sends the union model list. */
export async function handleListModels(context: ServerContext, response: ServerResponse): Promise<void> {
  const { data, skipped } = await context.state.lister.list();
  const headers: Record<string, string> = {};
  if (skipped.length > 0) {
    headers[SKIPPED_PROVIDERS_HEADER] = skipped.map((entry) => entry.provider).join(", ");
    context.logger.debug({ skipped }, "model list: providers skipped");
  }
  sendJson(response, 200, { object: "list", data }, headers);
}

/** Sends one model, looked up by its full id. */
export async function handleGetModel(context: ServerContext, response: ServerResponse, encodedId: string): Promise<void> {
  let id: string;
  try {
    id = decodeURIComponent(encodedId);
  } catch {
    throw new GatewayError("invalid_request", `The model id in the path is not valid percent-encoding: '${encodedId}'.`, { param: "model" });
  }
  const model = await context.state.lister.get(id);
  sendJson(response, 200, model);
}
