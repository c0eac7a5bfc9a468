/**
 * @module server/openai/json-endpoint
 * The JSON endpoints (`chat/completions`, `completions`, `embeddings`, `audio/speech`): read the
 * body, find the model, route it, change nothing but the model name, and relay.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { GatewayError } from "../../errors/gateway-error.js";
import { DEFAULT_MODEL_ID, MODEL_TYPE_FOR_ENDPOINT } from "../../gateway/model-router.js";
import { insertModelField, replaceModelField } from "../../gateway/replace-model-field.js";
import type { Endpoint } from "../../providers/types.js";
import { readBody } from "../read-body.js";
import type { ServerContext } from "../server-context.js";
import { relayExchange, type RelayRequest } from "./relay-exchange.js";

/** Throws unsupported_media_type unless the request says it carries JSON. */
export function requireJson(request: IncomingMessage): void {
  const contentType = request.headers["content-type"];
  // `application/json; charset=utf-8` and vendor types like `application/vnd.api+json` both count.
  if (contentType === "application/json") return;
  if (contentType === undefined || !/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) {
    throw new GatewayError(
      "unsupported_media_type",
      `Expected a JSON body with 'Content-Type: application/json', got ${contentType === undefined ? "no Content-Type" : `'${contentType}'`}.`,
    );
  }
}

/** Parses a request body as a JSON object, with a precise error otherwise. */
export function parseJsonObject(body: Buffer): { text: string; value: Record<string, unknown> } {
  const text = body.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's message quotes part of the input, which may be a key: report only where it broke.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new GatewayError("invalid_json", `The request body is not valid JSON${position === undefined ? "" : ` (error at character ${position})`}.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GatewayError("invalid_request", "The request body must be a JSON object.");
  }
  return { text, value: value as Record<string, unknown> };
}

/** Reads the `model` member: a non-empty string, or undefined when absent. */
export function optionalModel(value: Record<string, unknown>): string | undefined {
  const model = value["model"];
  if (model === undefined || model === null) return undefined;
  if (typeof model !== "string" || model.length === 0) {
    throw new GatewayError("invalid_request", "The model parameter must be a non-empty string.", { param: "model" });
  }
  return model;
}

function missingModel(): GatewayError {
  return new GatewayError("missing_model", "You must provide a model parameter ('<provider>/<model>').", { param: "model" });
}

/** Reads the `model` member, which must be a non-empty string. */
export function requireModel(value: Record<string, unknown>): string {
  const model = optionalModel(value);
  if (model === undefined) throw missingModel();
  return model;
}

/** Handles one JSON endpoint request end to end. */
export function handleJsonEndpoint(endpoint: Endpoint, context: ServerContext, request: IncomingMessage, response: ServerResponse): Promise<unknown> {
  requireJson(request);
  // No async frame spans the exchange: the parsed body must be garbage as soon as it is routed.
  return readBody(request, context.limits.maxBodyBytes).then((body) => relayExchange(context, response, prepareJsonRelay(endpoint, context, body)));
}

/** Parses, validates and routes a JSON body; returns what to send upstream. */
function prepareJsonRelay(endpoint: Endpoint, context: ServerContext, body: Buffer): RelayRequest {
  const { text, value } = parseJsonObject(body);
  const model = optionalModel(value);
  const router = context.state.router;
  // A request without a model uses the default for the endpoint's type, when one is set.
  if (model === undefined && router.defaultModel(MODEL_TYPE_FOR_ENDPOINT[endpoint]) === undefined) throw missingModel();
  const route = router.resolve(model ?? DEFAULT_MODEL_ID, endpoint);
  const upstreamBody =
    model === undefined ? insertModelField(text, route.upstreamModel) : route.upstreamModel === model ? text : replaceModelField(text, route.upstreamModel);
  return { route, method: "POST", headers: route.target.jsonHeaders, body: upstreamBody };
}
