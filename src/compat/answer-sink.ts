/**
 * @module compat/answer-sink
 * Wraps one attempt's sink in what its answer needs on the way to the caller, for the HTTP server
 * (server/openai/relay-exchange.ts) and the library's `gateway.request()` alike: Anthropic's
 * Messages answer translated (compat/native-answer.ts), the adaptations a deployment's parameter
 * rules asked for (compat/adapted-sink.ts), Azure's stream filtered. An answer that needs nothing
 * gets the sink it came with.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import type { HostSink } from "../gateway/exchange.js";
import type { Route } from "../gateway/model-router.js";
import type { ReasoningField } from "../providers/parameter-rules.js";
import { isEventStream } from "../server/openai/response-headers.js";
import { AdaptedSink, type UsageContext } from "./adapted-sink.js";
import type { CompatSettings, RequestAdaptation } from "./adaptation.js";
import { AnthropicJsonSink, AnthropicStreamSink, AzureStreamSink } from "./native-answer.js";
import type { UsageListener } from "./usage.js";

/** What decides how one answer is wrapped. */
export interface AnswerContext {
  readonly route: Route;
  readonly eventStream: boolean;
  /** The upstream compressed the body: its bytes cannot be edited (a translation still needs them plain). */
  readonly compressed: boolean;
  readonly adaptation: RequestAdaptation | undefined;
  readonly onUsage: UsageListener | undefined;
  /** Where translated answers put reasoning text (undefined: the translator's default). */
  readonly reasoningField: ReasoningField | undefined;
  /** Built only when usage is reported. */
  usageContext(): UsageContext;
}

/**
 * The context for one answer, as both hosts build it: from the upstream's headers, the request's
 * adaptation for this deployment and the gateway's compat settings.
 */
export function answerContext(
  settings: CompatSettings,
  model: string,
  route: Route,
  upstreamHeaders: IncomingHttpHeaders,
  adaptation: RequestAdaptation | undefined,
): AnswerContext {
  const encoding = upstreamHeaders["content-encoding"];
  return {
    route,
    eventStream: isEventStream(upstreamHeaders["content-type"]),
    compressed: encoding !== undefined && encoding !== "identity",
    adaptation,
    onUsage: settings.onUsage,
    reasoningField: settings.reasoningField === "as-sent" ? undefined : settings.reasoningField,
    usageContext: () => ({ endpoint: route.target.endpoint, model, deployment: route.deployment, provider: route.target.provider }),
  };
}

/**
 * The sink the attempt writes to. `headers` are the headers `inner` will send with its first byte:
 * a content-length the wrapper invalidates is removed (or replaced) in place.
 */
export function wrapAnswerSink(inner: HostSink, headers: OutgoingHttpHeaders, answer: AnswerContext): HostSink {
  const { route, eventStream, adaptation, onUsage } = answer;
  if (route.target.wire === "anthropic-messages") {
    const usage = onUsage === undefined ? undefined : { listener: onUsage, context: answer.usageContext() };
    if (!eventStream) return new AnthropicJsonSink(inner, headers, answer.reasoningField, usage);
    const options = { includeUsage: adaptation?.translated?.includeUsage === true, reasoningField: answer.reasoningField, secrets: route.target.secrets };
    return new AnthropicStreamSink(inner, options, usage);
  }
  const plan = answer.compressed ? undefined : adaptation?.answer;
  let sink = inner;
  if (plan !== undefined) {
    // An adapted JSON answer may change length; it goes out chunked.
    if (!eventStream) delete headers["content-length"];
    sink = new AdaptedSink(inner, plan, eventStream, onUsage, answer.usageContext());
  }
  // Azure's stream quirks are filtered before anything else sees the events.
  return eventStream && route.target.wire === "azure-openai" ? new AzureStreamSink(sink, route.target.secrets) : sink;
}
