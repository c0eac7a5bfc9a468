/**
 * @module gateway/json-exchange-request
 * The request side of a JSON endpoint call, shared by the HTTP server (server/openai/json-endpoint.ts)
 * and the library's `gateway.request()`: the client's text with only the model value changed per
 * deployment, unless the deployment's parameter rules apply (compat/) or its wire is Anthropic's
 * native Messages API (translated); either way what was changed is kept for the answer's host.
 */
import type { RequestAdaptation } from "../compat/adaptation.js";
import type { CompatAdapters } from "../compat/compat-adapters.js";
import { anthropicRequest } from "../compat/native-request.js";
import type { RequestFacts } from "../compat/request-facts.js";
import type { Endpoint } from "../providers/types.js";
import type { ExchangeRequest } from "./exchange.js";
import type { Route } from "./model-router.js";
import { insertModelField, replaceModelField } from "./replace-model-field.js";
import type { Plan } from "./route-planner.js";

/**
 * Tokens a request is charged against tokens-per-minute limits before the call: about four
 * characters a token for the prompt, plus the most the answer may use when the client says.
 */
export function estimateTokens(text: string, value: Readonly<Record<string, unknown>>): number {
  const limit = value["max_completion_tokens"] ?? value["max_tokens"];
  return Math.ceil(text.length / 4) + (typeof limit === "number" && Number.isFinite(limit) && limit > 0 ? limit : 0);
}

/** A JSON request: the client's text with only the model value changed per deployment (and its parameter rules applied). */
export class JsonExchangeRequest implements ExchangeRequest {
  readonly method = "POST";
  readonly repeatable = true;
  readonly endpoint: Endpoint;
  readonly plan: Plan;
  readonly estimatedTokens: number;
  readonly #text: string;
  readonly #model: string | undefined;
  readonly #facts: RequestFacts;
  readonly #compat: CompatAdapters;
  #adaptation: RequestAdaptation | undefined;

  constructor(endpoint: Endpoint, plan: Plan, text: string, model: string | undefined, estimatedTokens: number, facts: RequestFacts, compat: CompatAdapters) {
    this.endpoint = endpoint;
    this.plan = plan;
    this.#text = text;
    this.#model = model;
    this.estimatedTokens = estimatedTokens;
    this.#facts = facts;
    this.#compat = compat;
  }

  body(route: Route): string {
    // The one per-attempt check the pass-through path pays for other wires: a field read.
    if (route.target.wire === "anthropic-messages") {
      const native = anthropicRequest(JSON.parse(this.#text), route, this.#facts.strict);
      this.#adaptation = native.adaptation;
      return native.text;
    }
    const adapted = this.#compat.for(route).adapt(this.#text, this.#facts, this.#model);
    this.#adaptation = adapted.adaptation;
    if (adapted.text !== undefined) return adapted.text;
    const upstreamModel = route.upstreamModel;
    if (this.#model === undefined) return insertModelField(this.#text, upstreamModel);
    return upstreamModel === this.#model ? this.#text : replaceModelField(this.#text, upstreamModel);
  }

  headers(route: Route): Readonly<Record<string, string>> {
    return route.target.jsonHeaders;
  }

  adaptation(): RequestAdaptation | undefined {
    return this.#adaptation;
  }
}
