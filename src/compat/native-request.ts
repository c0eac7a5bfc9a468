/**
 * @module compat/native-request
 * The body for a deployment whose chat endpoint speaks Anthropic's native Messages API: the
 * client's chat-completions request translated (providers/anthropic/native-translation.ts), with
 * every parameter the translation could not carry named in `x-switchyard-dropped-params`
 * (decision 0009). Strict mode (`x-switchyard-strict: true`) refuses such a request instead.
 */
import { GatewayError } from "../errors/gateway-error.js";
import type { Route } from "../gateway/model-router.js";
import { anthropicTranslator } from "./anthropic-translator.js";
import type { RequestAdaptation } from "./adaptation.js";

/** A translated body and what the answer needs. */
export interface NativeRequest {
  readonly text: string;
  readonly adaptation: RequestAdaptation;
}

/** Translates a parsed chat request for an `anthropic-messages` route; throws a 400 GatewayError when it cannot be expressed. */
export function anthropicRequest(value: unknown, route: Route, strict: boolean): NativeRequest {
  const translation = anthropicTranslator().convertToAnthropicRequest(value, { model: route.upstreamModel });
  const dropped = translation.dropped;
  const first = dropped[0];
  if (strict && first !== undefined) {
    throw new GatewayError(
      "unsupported_parameter",
      `The parameter '${first.param}' is not supported by model '${route.deployment}' (Anthropic): ${first.reason}. Strict mode is on, so the request was refused instead of being sent without it.`,
      { param: first.param },
    );
  }
  const headers = dropped.length === 0 ? undefined : { "x-switchyard-dropped-params": dropped.map((entry) => entry.param).join(", ") };
  return { text: JSON.stringify(translation.body), adaptation: { headers, answer: undefined, translated: { includeUsage: translation.includeUsage } } };
}
