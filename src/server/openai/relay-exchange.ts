/**
 * @module server/openai/relay-exchange
 * Runs one upstream exchange for an HTTP client: streams a 2xx body straight into the response,
 * turns error statuses and failures into OpenAI error responses, and aborts the upstream call the
 * moment the client goes away.
 */
import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { toOpenAIErrorBody } from "../../errors/openai-error-body.js";
import type { Route } from "../../gateway/model-router.js";
import { SseRelay, type StreamContract } from "../../sse/sse-relay.js";
import { StreamEndScan } from "../../sse/stream-end-scan.js";
import { GatewayError } from "../../errors/gateway-error.js";
import { UpstreamAbort } from "../../upstream/abort-reason.js";
import { forward, type ForwardResult, type UpstreamCall } from "../../upstream/forward.js";
import { sendError, sendErrorBody } from "../send.js";
import type { ServerContext } from "../server-context.js";
import { deploymentHeaders, eventStreamHeaders, isEventStream, relayedHeaders } from "./response-headers.js";

/** The request to relay. */
export interface RelayRequest {
  readonly route: Route;
  readonly method: "GET" | "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer | Readable | null;
}

/**
 * Relays one request upstream and the answer back; resolves once the exchange is over.
 * Not an async function on purpose: an awaiting frame would keep the request (and its body) alive
 * for the whole exchange, and under load those survivors fill the old generation.
 */
export function relayExchange(context: ServerContext, response: ServerResponse, request: RelayRequest): Promise<ForwardResult> {
  const route = request.route;
  let relay: SseRelay | undefined;
  const call = forward({ target: route.target, method: request.method, headers: request.headers, body: request.body }, (status, headers) => {
    if (isEventStream(headers["content-type"])) {
      relay = new SseRelay(response, streamContract(route));
      response.writeHead(status, eventStreamHeaders(headers, route));
      return relay;
    }
    response.writeHead(status, relayedHeaders(headers, route));
    return response;
  }, context.inFlight);
  context.inFlight.add();
  (response as TrackedResponse)[EXCHANGE] = { call, inFlight: context.inFlight };
  response.once("close", onResponseClose);
  return call.result.then((result) => finishExchange(response, route, relay, result));
}

const EXCHANGE = Symbol("switchyard.exchange");

/** A response carrying its exchange, so the close listener can be one shared function. */
type TrackedResponse = ServerResponse & { [EXCHANGE]?: { call: UpstreamCall; inFlight: ServerContext["inFlight"] } | undefined };

/**
 * Aborts the upstream call when the client left before the response finished. A shared function
 * with the exchange on the response, not a closure per request: per-request closures registered
 * as listeners made every in-flight request survive young-generation GC under load (measured:
 * 7× more bytes promoted to the old generation).
 */
function onResponseClose(this: TrackedResponse): void {
  const exchange = this[EXCHANGE];
  if (exchange === undefined) return;
  this[EXCHANGE] = undefined;
  if (!this.writableFinished) exchange.call.abort(new UpstreamAbort("client-disconnected"));
  exchange.inFlight.done();
}

/** Chat and completions streams have an end the relay can check; audio and others do not. */
function streamContract(route: Route): StreamContract | undefined {
  const endpoint = route.target.endpoint;
  if (endpoint !== "chat" && endpoint !== "completions") return undefined;
  return {
    watch: new StreamEndScan(),
    truncated: () =>
      toOpenAIErrorBody(
        new GatewayError(
          "upstream_stream_truncated",
          `Upstream provider '${route.target.provider}' at ${route.target.host} ended the stream before the answer finished (no finish_reason and no [DONE]).`,
        ),
      ),
  };
}

function finishExchange(response: ServerResponse, route: Route, relay: SseRelay | undefined, result: ForwardResult): ForwardResult {
  switch (result.outcome) {
    case "delivered":
      break;
    case "upstream-error":
      sendErrorBody(response, result.status, result.body, relayedErrorHeaders(result.headers, route));
      break;
    case "failed":
      if (!result.started) sendError(response, result.error, deploymentHeaders(route));
      else if (relay !== undefined) relay.endWithError(toOpenAIErrorBody(result.error));
      else response.destroy();
      break;
    case "aborted":
      response.destroy();
      break;
  }
  return result;
}

function relayedErrorHeaders(upstream: Parameters<typeof relayedHeaders>[0], route: Route): ReturnType<typeof relayedHeaders> {
  const headers = relayedHeaders(upstream, route);
  delete headers["content-type"];
  delete headers["content-length"];
  delete headers["content-encoding"];
  return headers;
}
