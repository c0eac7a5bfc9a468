/**
 * @module server/openai/json-endpoint
 * The JSON endpoints (`chat/completions`, `completions`, `embeddings`, `audio/speech`): read the
 * body, find the model, route it, change nothing but the model name — unless a deployment's
 * parameter rules apply (compat/), which then say what they changed — and relay.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authorizeModel } from "../../auth/request-key.js";
import { isStrictHeader, readRequestFacts } from "../../compat/request-facts.js";
import { GatewayError } from "../../errors/gateway-error.js";
import type { ExchangeRequest } from "../../gateway/exchange.js";
import { estimateTokens, JsonExchangeRequest } from "../../gateway/json-exchange-request.js";
import { DEFAULT_MODEL_ID, MODEL_TYPE_FOR_ENDPOINT } from "../../gateway/model-router.js";
import type { Endpoint } from "../../providers/types.js";
import { MAX_JSON_DEPTH } from "../../defaults.js";
import { exceedsJsonDepth, minimumCharsToExceed } from "../json-depth.js";
import { readBody } from "../read-body.js";
import type { ServerContext } from "../server-context.js";
import { relayExchange } from "./relay-exchange.js";

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

/** Bodies shorter than this cannot nest too deeply, so they skip the depth walk. */
const DEPTH_CHECK_MIN_CHARS = minimumCharsToExceed(MAX_JSON_DEPTH);

/** Parses a request body as a JSON object, with a precise error otherwise; refuses bodies nested deeper than MAX_JSON_DEPTH. */
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
  if (text.length >= DEPTH_CHECK_MIN_CHARS && exceedsJsonDepth(value, MAX_JSON_DEPTH)) {
    throw new GatewayError("json_too_deep", `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`);
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
  return readBody(request, context.limits.maxBodyBytes).then((body) => relayExchange(context, response, prepareJsonRelay(endpoint, context, body, request)));
}

/** Parses, validates and plans a JSON body; returns the exchange request. */
function prepareJsonRelay(endpoint: Endpoint, context: ServerContext, body: Buffer, request: IncomingMessage): ExchangeRequest {
  const { text, value } = parseJsonObject(body);
  const model = optionalModel(value);
  const state = context.state;
  // A request without a model uses the default for the endpoint's type, when one is set.
  const defaultModel = model === undefined ? state.router.defaultModel(MODEL_TYPE_FOR_ENDPOINT[endpoint]) : undefined;
  if (model === undefined && defaultModel === undefined) throw missingModel();
  const estimatedTokens = estimateTokens(text, value);
  // The gateway key's model allow-list and tokens per minute; nothing when no key is in use.
  authorizeModel(request, model ?? defaultModel ?? DEFAULT_MODEL_ID, estimatedTokens);
  const facts = readRequestFacts(value, isStrictHeader(request.headers["x-switchyard-strict"]));
  // Strict parameter mode takes out deployments that would drop what the request sent (or refuses it).
  const plan = state.compat.strictPlan(state.planner.plan(model ?? DEFAULT_MODEL_ID, endpoint), facts, text);
  return new JsonExchangeRequest(endpoint, plan, text, model, estimatedTokens, facts, state.compat);
}
