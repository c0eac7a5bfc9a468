/**
 * @module server/openai/models-endpoint
 * `GET /v1/models` and `GET /v1/models/{id}` (ids contain `/`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authorizeModel, requestKey } from "../../auth/request-key.js";
import { GatewayError } from "../../errors/gateway-error.js";
import { sendJson } from "../send.js";
import type { ServerContext } from "../server-context.js";

/** Header naming the providers left out of the list (`lm_studio, vllm`); the reasons go to the debug log. */
export const SKIPPED_PROVIDERS_HEADER = "x-switchyard-skipped-providers";

/** Sends the union model list; a gateway key with an allow-list sees only the models it may use. */
export async function handleListModels(context: ServerContext, response: ServerResponse, request?: IncomingMessage): Promise<void> {
  const listed = await context.state.lister.list();
  const key = request === undefined ? undefined : requestKey(request)?.key;
  const { skipped } = listed;
  const data = key === undefined || key.models === null ? listed.data : listed.data.filter((model) => key.allows(model.id));
  const headers: Record<string, string> = {};
  if (skipped.length > 0) {
    headers[SKIPPED_PROVIDERS_HEADER] = skipped.map((entry) => entry.provider).join(", ");
    context.logger.debug({ skipped }, "model list: providers skipped");
  }
  sendJson(response, 200, { object: "list", data }, headers);
}

/** Sends one model, looked up by its full id. */
export async function handleGetModel(context: ServerContext, response: ServerResponse, encodedId: string, request?: IncomingMessage): Promise<void> {
  let id: string;
  try {
    id = decodeURIComponent(encodedId);
  } catch {
    throw new GatewayError("invalid_request", `The model id in the path is not valid percent-encoding: '${encodedId}'.`, { param: "model" });
  }
  if (request !== undefined) authorizeModel(request, id);
  const model = await context.state.lister.get(id);
  sendJson(response, 200, model);
}
