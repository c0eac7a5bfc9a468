/**
 * @module server/openai/relay-exchange
 * Runs one request's exchange (gateway/exchange.ts: the attempt loop) for an HTTP client: streams a
 * 2xx body straight into the response (translated first for Anthropic's native wire, filtered for
 * Azure streams, adapted where parameter rules ask: compat/answer-sink.ts, shared with the
 * library), turns a final failure into an OpenAI error response, and aborts the upstream call the
 * moment the client goes away. The status line and headers are written
 * with the first body byte, not when the upstream's headers arrive, so an upstream that fails
 * between its headers and its first byte can still be failed over.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { CompatSettings } from "../../compat/adaptation.js";
import { answerContext, wrapAnswerSink } from "../../compat/answer-sink.js";
import type { GatewayError } from "../../errors/gateway-error.js";
import { toOpenAIErrorBody } from "../../errors/openai-error-body.js";
import { attemptsHeader, Exchange, type ExchangeHost, type ExchangeOutcome, type ExchangeRequest, type FailedAnswer, type HostSink } from "../../gateway/exchange.js";
import type { Route } from "../../gateway/model-router.js";
import { SseRelay, type StreamContract } from "../../sse/sse-relay.js";
import { StreamEndScan } from "../../sse/stream-end-scan.js";
import { sendJson } from "../send.js";
import type { ServerContext } from "../server-context.js";
import { truncatedStreamError } from "../../upstream/classify-failure.js";
import { eventStreamHeaders, isEventStream, relayedHeaders } from "./response-headers.js";

/**
 * Relays one request and its answer; resolves once the exchange is over. The exchange object is
 * hung on the response so the close listener can be one shared function (per-request closures
 * registered as listeners made in-flight requests survive young-generation GC under load).
 */
export function relayExchange(context: ServerContext, response: ServerResponse, request: ExchangeRequest): Promise<ExchangeOutcome> {
  const host = new ResponseHost(response, request, context.state.compat.settings);
  const exchange = new Exchange(context.state.exchange, request, host);
  context.inFlight.add();
  (response as TrackedResponse)[EXCHANGE] = { exchange, inFlight: context.inFlight };
  response.once("close", onResponseClose);
  return exchange.run();
}

const EXCHANGE = Symbol("switchyard.exchange");

/** A response carrying its exchange. */
type TrackedResponse = ServerResponse & { [EXCHANGE]?: { exchange: Exchange; inFlight: ServerContext["inFlight"] } | undefined };

/** Aborts the exchange when the client left before the response finished. */
function onResponseClose(this: TrackedResponse): void {
  const tracked = this[EXCHANGE];
  if (tracked === undefined) return;
  this[EXCHANGE] = undefined;
  if (!this.writableFinished) tracked.exchange.abort();
  tracked.inFlight.done();
}

/** The HTTP response side of an exchange. */
class ResponseHost implements ExchangeHost {
  readonly response: ServerResponse;
  readonly #request: ExchangeRequest;
  readonly #settings: CompatSettings;
  committed = false;

  constructor(response: ServerResponse, request: ExchangeRequest, settings: CompatSettings) {
    this.response = response;
    this.#request = request;
    this.#settings = settings;
  }

  open(status: number, headers: IncomingHttpHeaders, route: Route, attempts: number): HostSink {
    const attemptsValue = attemptsHeader(attempts);
    const adaptation = this.#request.adaptation?.();
    const eventStream = isEventStream(headers["content-type"]);
    const outgoing = eventStream ? eventStreamHeaders(headers, route) : relayedHeaders(headers, route);
    outgoing["x-switchyard-attempts"] = attemptsValue;
    if (adaptation?.headers !== undefined) Object.assign(outgoing, adaptation.headers);
    const contract = eventStream ? streamContract(route) : undefined;
    const inner = new ClientSink(this, status, outgoing, eventStream ? new SseRelay(this.response, contract) : undefined, contract !== undefined);
    return wrapAnswerSink(inner, outgoing, answerContext(this.#settings, this.#request.plan.name, route, headers, adaptation));
  }

  fail(answer: FailedAnswer): void {
    const headers: OutgoingHttpHeaders = answer.upstreamHeaders === undefined ? {} : relayedHeaders(answer.upstreamHeaders, undefined);
    delete headers["content-type"];
    delete headers["content-length"];
    delete headers["content-encoding"];
    sendJson(this.response, answer.status, answer.body, { ...headers, ...answer.headers, ...this.#request.adaptation?.()?.headers });
  }

  aborted(): void {
    this.response.destroy();
  }
}

/**
 * The sink of one attempt: writes the status line with the first byte. A chat or completions event
 * stream that ends before any byte is reported as empty (the loop may still fail over); one that
 * reached the client and then broke ends with an error event.
 */
class ClientSink implements HostSink {
  readonly #host: ResponseHost;
  readonly #status: number;
  readonly #headers: OutgoingHttpHeaders;
  readonly #relay: SseRelay | undefined;
  readonly #checked: boolean;
  emptyStream = false;
  brokenStream = false;

  constructor(host: ResponseHost, status: number, headers: OutgoingHttpHeaders, relay: SseRelay | undefined, checked: boolean) {
    this.#host = host;
    this.#status = status;
    this.#headers = headers;
    this.#relay = relay;
    this.#checked = checked;
  }

  #commit(): void {
    this.#host.committed = true;
    this.#host.response.writeHead(this.#status, this.#headers);
  }

  write(chunk: Buffer): boolean {
    if (!this.#host.committed) this.#commit();
    return this.#relay === undefined ? this.#host.response.write(chunk) : this.#relay.write(chunk);
  }

  end(): void {
    if (!this.#host.committed) {
      if (this.#checked) {
        // Headers and then nothing at all: not an answer. Nothing was sent, so another deployment may try.
        this.emptyStream = true;
        return;
      }
      this.#commit();
    }
    if (this.#relay === undefined) {
      this.#host.response.end();
      return;
    }
    this.#relay.end();
    this.brokenStream = this.#relay.broken;
  }

  once(event: "drain", listener: () => void): this {
    this.#host.response.once(event, listener);
    return this;
  }

  abortWithError(error: GatewayError): void {
    if (this.#relay !== undefined) this.#relay.endWithError(toOpenAIErrorBody(error));
    else this.#host.response.destroy();
  }
}

/** Chat and completions streams have an end the relay can check; audio and others do not. */
function streamContract(route: Route): StreamContract | undefined {
  const endpoint = route.target.endpoint;
  if (endpoint !== "chat" && endpoint !== "completions") return undefined;
  return {
    watch: new StreamEndScan(),
    truncated: () => toOpenAIErrorBody(truncatedStreamError(route.target)),
  };
}
