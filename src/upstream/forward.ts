/**
 * @module upstream/forward
 * One upstream exchange, driven by an undici dispatch handler: a 2xx body is written straight into
 * the caller's sink chunk by chunk, pausing the upstream socket while the sink is full (so nothing
 * is decoded ahead of the client); error statuses are read (size-limited) and normalised (per wire: upstream/wire-errors.ts); network
 * failures and timeouts are classified. No AbortController, promise-per-chunk or intermediate
 * stream sits on the hot path. No retries happen here: the router owns them.
 * @see https://github.com/nodejs/undici/blob/main/docs/docs/api/Dispatcher.md (DispatchHandler)
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { MAX_UPSTREAM_ERROR_BODY_BYTES } from "../defaults.js";
import { GatewayError } from "../errors/gateway-error.js";
import { toOpenAIErrorBody, type OpenAIErrorBody } from "../errors/openai-error-body.js";
import { UpstreamAbort } from "./abort-reason.js";
import { classifyUpstreamFailure } from "./classify-failure.js";
import type { UpstreamTarget } from "./upstream-target.js";
import { WIRE_ERROR_CONVERTERS } from "./wire-errors.js";

/** One request to send upstream. */
export interface ForwardRequest {
  readonly target: UpstreamTarget;
  readonly method: "GET" | "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer | Readable | null;
}

/** Where a 2xx body goes: a ServerResponse, a PassThrough, or anything with this shape. */
export interface ResponseSink {
  /** Returns false when the sink is full; the upstream is paused until `drain`. */
  write(chunk: Buffer): boolean;
  end(): unknown;
  once(event: "drain", listener: () => void): unknown;
}

/** Called once with a 2xx status; returns where the body goes. */
export type OpenSink = (status: number, headers: IncomingHttpHeaders) => ResponseSink;

/** How an exchange ended. */
export type ForwardResult =
  /** A 2xx body was written to the sink completely and the sink ended. */
  | { readonly outcome: "delivered" }
  /** The upstream answered an error status; nothing was written to the sink. */
  | { readonly outcome: "upstream-error"; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: OpenAIErrorBody }
  /** Network failure or timeout; `started` says whether the sink had been opened. */
  | { readonly outcome: "failed"; readonly error: GatewayError; readonly started: boolean }
  /** The caller aborted because its client left; nothing more should be written. */
  | { readonly outcome: "aborted"; readonly started: boolean };

/** A call under way. */
export interface UpstreamCall {
  /** Settles once, when the exchange is over. */
  readonly result: Promise<ForwardResult>;
  /** Cancels the call at once, whatever stage it is in. */
  abort(reason: UpstreamAbort): void;
}

/** Raised internally once an error body has been read far enough. */
class ErrorBodyLimitReached extends Error {}

type DispatchController = Dispatcher.DispatchController;

/** The dispatch handler for one exchange; undici calls the `on…` methods. */
class ForwardHandler implements Dispatcher.DispatchHandler {
  readonly #target: UpstreamTarget;
  readonly #openSink: OpenSink;
  readonly #resolve: (result: ForwardResult) => void;
  /** Epoch ms when the total deadline passes. */
  readonly #deadline: number;
  readonly #gate: AbortGate | undefined;
  #controller: DispatchController | undefined;
  #abortReason: UpstreamAbort | undefined;
  #sink: ResponseSink | undefined;
  #errorChunks: Buffer[] | undefined;
  #errorLength = 0;
  #errorStatus = 0;
  #errorHeaders: IncomingHttpHeaders = {};
  #settled = false;
  /** Resumes the paused upstream once the sink has room again. */
  #onDrain: (() => void) | undefined;

  constructor(target: UpstreamTarget, openSink: OpenSink, resolve: (result: ForwardResult) => void, gate: AbortGate | undefined) {
    this.#target = target;
    this.#openSink = openSink;
    this.#resolve = resolve;
    this.#gate = gate;
    this.#deadline = Date.now() + target.timeouts.totalMs;
  }

  /**
   * The total deadline and a shutdown are checked as data arrives, not by a timer per call: a
   * timer (or any registry entry) per request made request objects outlive young-generation GC
   * and cost ~20 % of throughput under load. Silence is still bounded: the first-byte and idle
   * timeouts passed to undici are capped at the total.
   */
  #checkLimits(): boolean {
    if (this.#gate?.closed === true) {
      this.abort(new UpstreamAbort("shutdown"));
      return false;
    }
    if (Date.now() >= this.#deadline) {
      this.abort(new UpstreamAbort("total-timeout"));
      return false;
    }
    return true;
  }

  abort(reason: UpstreamAbort): void {
    if (this.#settled || this.#abortReason !== undefined) return;
    this.#abortReason = reason;
    // The caller learns first: undici may call onResponseError synchronously from abort(), and
    // that callback must not turn a client's disconnect into an upstream failure.
    this.#settle(this.#abortOutcome(reason));
    // A request still connecting has no controller yet; undici then aborts it in onRequestStart.
    this.#controller?.abort(reason);
  }

  onRequestStart(controller: DispatchController): void {
    this.#controller = controller;
    if (this.#abortReason !== undefined) controller.abort(this.#abortReason);
  }

  onResponseStart(controller: DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200 || this.#settled || !this.#checkLimits()) return;
    if (statusCode < 300) {
      const sink = this.#openSink(statusCode, headers);
      this.#sink = sink;
      this.#onDrain = () => controller.resume();
      return;
    }
    this.#errorStatus = statusCode;
    this.#errorHeaders = headers;
    this.#errorChunks = [];
  }

  onResponseData(controller: DispatchController, chunk: Buffer): void {
    if (this.#settled || !this.#checkLimits()) return;
    const sink = this.#sink;
    if (sink !== undefined) {
      if (!sink.write(chunk)) {
        controller.pause();
        sink.once("drain", this.#onDrain as () => void);
      }
      return;
    }
    const chunks = this.#errorChunks;
    if (chunks === undefined) return;
    const room = MAX_UPSTREAM_ERROR_BODY_BYTES - this.#errorLength;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.#errorLength += Math.min(chunk.length, room);
    // Enough to explain the error: stop the transfer instead of reading an endless page.
    if (chunk.length >= room) controller.abort(new ErrorBodyLimitReached());
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    if (this.#sink !== undefined) {
      this.#sink.end();
      this.#settle({ outcome: "delivered" });
    } else if (this.#errorChunks !== undefined) {
      this.#settle(this.#upstreamError());
    }
  }

  onResponseError(_controller: DispatchController | undefined, error: Error): void {
    if (this.#settled) return;
    if (this.#abortReason !== undefined) {
      this.#settle(this.#abortOutcome(this.#abortReason));
      return;
    }
    if (error instanceof ErrorBodyLimitReached && this.#errorChunks !== undefined) {
      this.#settle(this.#upstreamError());
      return;
    }
    this.#settle({ outcome: "failed", error: classifyUpstreamFailure(error, this.#target), started: this.#sink !== undefined });
  }

  #abortOutcome(reason: UpstreamAbort): ForwardResult {
    const started = this.#sink !== undefined;
    if (reason.kind === "client-disconnected") return { outcome: "aborted", started };
    return { outcome: "failed", error: classifyUpstreamFailure(reason, this.#target), started };
  }

  #settle(result: ForwardResult): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(result);
  }

  #upstreamError(): ForwardResult {
    const target = this.#target;
    const status = this.#errorStatus;
    const body = Buffer.concat(this.#errorChunks ?? [], this.#errorLength);
    if (status >= 300 && status < 400) {
      // Redirects are never followed: a base URL must name the API itself, and following could
      // carry the key to another host.
      const error = new GatewayError(
        "upstream_redirect",
        `Upstream provider '${target.provider}' at ${target.host} answered with a redirect (HTTP ${status}); redirects are not followed. Check the base URL.`,
      );
      return { outcome: "upstream-error", status: 502, headers: this.#errorHeaders, body: toOpenAIErrorBody(error) };
    }
    const contentType = this.#errorHeaders["content-type"];
    // Anthropic and Azure error shapes get their own converters; every other wire the generic normaliser.
    const normalized = WIRE_ERROR_CONVERTERS[target.wire]({
      status,
      contentType: Array.isArray(contentType) ? contentType[0] : contentType,
      body,
      provider: target.provider,
      secrets: target.secrets,
    });
    return { outcome: "upstream-error", status, headers: this.#errorHeaders, body: normalized };
  }
}

/** A switch shared by every call of a server: once `closed`, calls end at their next chunk. */
export interface AbortGate {
  readonly closed: boolean;
}

/** Sends one request upstream and streams its answer into the sink. */
export function forward(request: ForwardRequest, openSink: OpenSink, gate?: AbortGate): UpstreamCall {
  const { target } = request;
  let handler: ForwardHandler | undefined;
  const result = new Promise<ForwardResult>((resolve) => {
    handler = new ForwardHandler(target, openSink, resolve, gate);
  });
  const { firstByteMs, idleMs, totalMs } = target.timeouts;
  const active = handler as unknown as ForwardHandler;
  target.pool.dispatch(
    {
      path: target.path,
      method: request.method,
      headers: request.headers,
      body: request.body,
      headersTimeout: Math.min(firstByteMs, totalMs),
      bodyTimeout: Math.min(idleMs, totalMs),
    },
    active,
  );
  return { result, abort: (reason) => active.abort(reason) };
}
