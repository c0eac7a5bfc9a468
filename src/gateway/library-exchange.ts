/**
 * @module gateway/library-exchange
 * `gateway.request()`: the same attempt loop as the HTTP server (retries, failover, breakers,
 * limits), with the answer delivered as a Readable in this process. The promise resolves with the
 * first byte of a successful answer, so failover stays possible until then, as over HTTP.
 */
import type { IncomingHttpHeaders } from "node:http";
import { PassThrough, type Readable } from "node:stream";
import { GatewayError } from "../errors/gateway-error.js";
import type { Endpoint } from "../providers/types.js";
import type { InFlightRequests } from "../server/in-flight.js";
import { Exchange, type ExchangeHost, type FailedAnswer, type HostSink } from "./exchange.js";
import type { GatewayState } from "./gateway-state.js";
import type { Route } from "./model-router.js";

/** An answer handed to library callers. */
export interface GatewayResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** `provider/upstream-model` that served the call. */
  readonly deployment: string;
  /** Attempts made, failovers and retries included. */
  readonly attempts: number;
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
type AnswerHead = Pick<GatewayResponse, "status" | "headers" | "deployment" | "attempts">;

/** One attempt's sink: a PassThrough handed to the caller with the first byte. */
class LibrarySink implements HostSink {
  readonly #host: LibraryHost;
  readonly #answer: AnswerHead;
  readonly #stream = new PassThrough();

  constructor(host: LibraryHost, answer: AnswerHead) {
    this.#host = host;
    this.#answer = answer;
  }

  write(chunk: Buffer): boolean {
    this.#host.commit(this.#stream, this.#answer);
    return this.#stream.write(chunk);
  }

  end(): void {
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
  readonly #resolve: (response: GatewayResponse) => void;
  readonly #reject: (error: unknown) => void;
  /** Set once the answer is handed over; the exchange is aborted when the caller destroys it. */
  onOpened: ((stream: PassThrough) => void) | undefined;

  constructor(resolve: (response: GatewayResponse) => void, reject: (error: unknown) => void) {
    this.#resolve = resolve;
    this.#reject = reject;
  }

  open(status: number, headers: IncomingHttpHeaders, route: Route, attempts: number): HostSink {
    return new LibrarySink(this, { status, headers, deployment: route.deployment, attempts });
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
    this.#reject(new GatewayError("upstream_error", message, { status: answer.status, type, ...(param === null ? {} : { param }), clientCode: code }));
  }

  aborted(): void {
    if (!this.committed) this.#reject(new GatewayError("internal_error", "The call was aborted."));
  }
}

/** The refusal for a provider whose chat endpoint needs translation, which only the HTTP server does. */
function libraryWireError(provider: string): GatewayError {
  return new GatewayError(
    "unsupported_endpoint",
    `Provider '${provider}' uses Anthropic's native Messages API, which gateway.request() does not translate; call it through the HTTP server, or set 'api: openai-compatible' on the provider.`,
  );
}

/** Runs one library call through the attempt loop. */
export function requestThroughGateway(
  state: GatewayState,
  inFlight: InFlightRequests,
  endpoint: Extract<Endpoint, "chat" | "completions" | "embeddings" | "speech">,
  model: string,
  body: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<GatewayResponse> {
  const plan = state.planner.plan(model, endpoint);
  return new Promise<GatewayResponse>((resolve, reject) => {
    const host = new LibraryHost(resolve, reject);
    const exchange = new Exchange(
      state.exchange,
      {
        endpoint,
        method: "POST",
        plan,
        repeatable: true,
        estimatedTokens: 0,
        body: (route) => {
          // The library speaks the OpenAI wire only (documented in docs/providers/anthropic.md).
          if (route.target.wire === "anthropic-messages") throw libraryWireError(route.target.provider);
          return JSON.stringify({ ...body, model: route.upstreamModel });
        },
        headers: (route) => route.target.jsonHeaders,
      },
      host,
    );
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
