/**
 * @module gateway/library-exchange
 * `gateway.request()`: the same attempt loop as the HTTP server (retries, failover, breakers,
 * limits), with the answer delivered as a Readable in this process. The promise resolves with the
 * first byte of a successful answer, so failover stays possible until then, as over HTTP. The body
 * and the answer take the HTTP path's shared parts: parameter rules and Anthropic's translation
 * (gateway/json-exchange-request.ts), the answer's adaptations and translations (compat/answer-sink.ts).
 */
import type { IncomingHttpHeaders } from "node:http";
import { PassThrough, type Readable } from "node:stream";
import type { RequestAdaptation } from "../compat/adaptation.js";
import { answerContext, wrapAnswerSink } from "../compat/answer-sink.js";
import { readRequestFacts } from "../compat/request-facts.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { Endpoint } from "../providers/types.js";
import type { InFlightRequests } from "../server/in-flight.js";
import { Exchange, type ExchangeHost, type FailedAnswer, type HostSink } from "./exchange.js";
import type { GatewayState } from "./gateway-state.js";
import { estimateTokens, JsonExchangeRequest } from "./json-exchange-request.js";
import type { Route } from "./model-router.js";

/** An answer handed to library callers. */
export interface GatewayResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** `provider/upstream-model` that served the call. */
  readonly deployment: string;
  /** Attempts made, failovers and retries included. */
  readonly attempts: number;
  /** Parameters the deployment's parameter rules (or wire translation) renamed, moved or converted; empty when none (`x-switchyard-changed-params` over HTTP). */
  readonly changedParams: readonly string[];
  /** Parameters left out of the upstream request; empty when none (`x-switchyard-dropped-params` over HTTP). */
  readonly droppedParams: readonly string[];
  /** The body as it streams from the upstream (SSE for `stream: true`). */
  readonly body: Readable;
  /** Reads the whole body as JSON. */
  json(): Promise<unknown>;
  /** Reads the whole body as text. */
  text(): Promise<string>;
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The parts of a response known when the upstream's headers arrive. */
type AnswerHead = Pick<GatewayResponse, "status" | "headers" | "deployment" | "attempts" | "changedParams" | "droppedParams">;

const NONE: readonly string[] = Object.freeze([]);

/** The parameter names of one `x-switchyard-*-params` value. */
function paramList(value: string | undefined): readonly string[] {
  return value === undefined || value === "" ? NONE : value.split(", ");
}

/** What the gateway changed, as the two lists a response or an error carries. */
function changedLists(adaptation: RequestAdaptation | undefined): Pick<GatewayResponse, "changedParams" | "droppedParams"> {
  const headers = adaptation?.headers;
  return { changedParams: paramList(headers?.["x-switchyard-changed-params"]), droppedParams: paramList(headers?.["x-switchyard-dropped-params"]) };
}

/** One attempt's sink: a PassThrough handed to the caller with the first byte. */
class LibrarySink implements HostSink {
  readonly #host: LibraryHost;
  readonly #answer: AnswerHead;
  readonly #stream = new PassThrough();
  /** The sink wrapping this one (a translation), whose in-band failure ends the body with an error. */
  outer: HostSink | undefined;
  brokenStream = false;

  constructor(host: LibraryHost, answer: AnswerHead) {
    this.#host = host;
    this.#answer = answer;
  }

  write(chunk: Buffer): boolean {
    this.#host.commit(this.#stream, this.#answer);
    return this.#stream.write(chunk);
  }

  end(): void {
    const failure = this.#host.committed ? this.outer?.failure : undefined;
    if (failure !== undefined) {
      // An in-band error after the first byte (Anthropic's `error` event): the body fails with it, as when a call breaks.
      this.brokenStream = true;
      this.#stream.destroy(failure);
      return;
    }
    this.#host.commit(this.#stream, this.#answer);
    this.#stream.end();
  }

  once(event: "drain", listener: () => void): this {
    this.#stream.once(event, listener);
    return this;
  }

  abortWithError(error: GatewayError): void {
    this.#stream.destroy(error);
  }
}

/** Where a library call's answer goes. */
class LibraryHost implements ExchangeHost {
  committed = false;
  readonly #state: GatewayState;
  readonly #request: JsonExchangeRequest;
  readonly #resolve: (response: GatewayResponse) => void;
  readonly #reject: (error: unknown) => void;
  /** Set once the answer is handed over; the exchange is aborted when the caller destroys it. */
  onOpened: ((stream: PassThrough) => void) | undefined;

  constructor(state: GatewayState, request: JsonExchangeRequest, resolve: (response: GatewayResponse) => void, reject: (error: unknown) => void) {
    this.#state = state;
    this.#request = request;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  open(status: number, upstreamHeaders: IncomingHttpHeaders, route: Route, attempts: number): HostSink {
    const adaptation = this.#request.adaptation();
    // A copy: a translated or adapted answer's content-length is replaced or removed in it.
    const headers: IncomingHttpHeaders = { ...upstreamHeaders };
    const inner = new LibrarySink(this, { status, headers, deployment: route.deployment, attempts, ...changedLists(adaptation) });
    const sink = wrapAnswerSink(inner, headers, answerContext(this.#state.compat.settings, this.#request.plan.name, route, upstreamHeaders, adaptation));
    if (sink !== inner) inner.outer = sink;
    return sink;
  }

  /** Hands the answer over, once, with the first byte (or the end of an empty body). */
  commit(stream: PassThrough, answer: AnswerHead): void {
    if (this.committed) return;
    this.committed = true;
    this.onOpened?.(stream);
    this.#resolve({
      ...answer,
      body: stream,
      json: async () => JSON.parse((await readAll(stream)).toString("utf8")) as unknown,
      text: async () => (await readAll(stream)).toString("utf8"),
    });
  }

  fail(answer: FailedAnswer): void {
    if (answer.error !== undefined) {
      this.#reject(answer.error);
      return;
    }
    const { message, type, param, code } = answer.body.error;
    const adapted = this.#request.adaptation()?.headers;
    this.#reject(
      new GatewayError("upstream_error", message, { status: answer.status, type, ...(param === null ? {} : { param }), clientCode: code, ...(adapted === undefined ? {} : { headers: adapted }) }),
    );
  }

  aborted(): void {
    if (!this.committed) this.#reject(new GatewayError("internal_error", "The call was aborted."));
  }
}

/** Runs one library call through the attempt loop. */
export function requestThroughGateway(
  state: GatewayState,
  inFlight: InFlightRequests,
  endpoint: Extract<Endpoint, "chat" | "completions" | "embeddings" | "speech">,
  model: string,
  body: Record<string, unknown>,
  signal: AbortSignal | undefined,
  strict = false,
): Promise<GatewayResponse> {
  let request: JsonExchangeRequest;
  try {
    // The HTTP path's request: facts, strict mode, parameter rules and wire translation per deployment.
    const text = JSON.stringify(body);
    const facts = readRequestFacts(body, strict);
    const plan = state.compat.strictPlan(state.planner.plan(model, endpoint), facts, text);
    request = new JsonExchangeRequest(endpoint, plan, text, model, estimateTokens(text, body), facts, state.compat);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return new Promise<GatewayResponse>((resolve, reject) => {
    const host = new LibraryHost(state, request, resolve, reject);
    const exchange = new Exchange(state.exchange, request, host);
    // A consumer that stops reading and destroys the body cancels the upstream call.
    host.onOpened = (stream) => {
      stream.once("close", () => {
        if (!stream.writableFinished) exchange.abort();
      });
    };
    if (signal?.aborted === true) exchange.abort();
    else signal?.addEventListener("abort", () => exchange.abort(), { once: true });
    inFlight.add();
    exchange.run().then(
      () => inFlight.done(),
      (error: unknown) => {
        inFlight.done();
        reject(error);
      },
    );
  });
}
