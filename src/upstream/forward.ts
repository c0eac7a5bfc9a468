/**
 * @module upstream/forward
 * One upstream exchange: send the request through the target's pool and stream a successful body
 * straight into a caller-supplied Writable (undici `stream()`, no intermediate buffering). Error
 * statuses are read (size-limited) and normalised; network failures and timeouts are classified.
 * No retries happen here: the router owns them.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Readable, Writable } from "node:stream";
import { MAX_UPSTREAM_ERROR_BODY_BYTES } from "../defaults.js";
import { GatewayError } from "../errors/gateway-error.js";
import { normalizeUpstreamError } from "../errors/normalize-upstream-error.js";
import { toOpenAIErrorBody, type OpenAIErrorBody } from "../errors/openai-error-body.js";
import { UpstreamAbort } from "./abort-reason.js";
import { classifyUpstreamFailure } from "./classify-failure.js";
import { ErrorBodyCollector, ErrorBodyLimitReached } from "./error-body-collector.js";
import type { UpstreamTarget } from "./upstream-target.js";

/** One request to send upstream. */
export interface ForwardRequest {
  readonly target: UpstreamTarget;
  readonly method: "GET" | "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer | Readable | null;
  /** Aborting it cancels the upstream call; its reason should be an {@link UpstreamAbort}. */
  readonly controller: AbortController;
}

/** Called once with a 2xx status; returns where the body goes. */
export type OpenSink = (status: number, headers: IncomingHttpHeaders) => Writable;

/** How an exchange ended. */
export type ForwardResult =
  /** A 2xx body was written to the sink completely. */
  | { readonly outcome: "delivered" }
  /** The upstream answered an error status; nothing was written to the sink. */
  | { readonly outcome: "upstream-error"; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: OpenAIErrorBody }
  /** Network failure or timeout; `started` says whether the sink had been opened. */
  | { readonly outcome: "failed"; readonly error: GatewayError; readonly started: boolean }
  /** The caller aborted (client left); nothing more should be written. */
  | { readonly outcome: "aborted"; readonly started: boolean };

/** Sends one request upstream and streams its answer into the sink. */
export function forward(request: ForwardRequest, openSink: OpenSink): Promise<ForwardResult> {
  const { target, controller } = request;
  return new Promise((resolve) => {
    let started = false;
    let errorStatus = 0;
    let errorHeaders: IncomingHttpHeaders = {};
    let collector: ErrorBodyCollector | undefined;
    const timer = setTimeout(() => controller.abort(new UpstreamAbort("total-timeout")), target.timeouts.totalMs);
    timer.unref();

    target.pool.stream(
      {
        path: target.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        headersTimeout: target.timeouts.firstByteMs,
        bodyTimeout: target.timeouts.idleMs,
      },
      ({ statusCode, headers }) => {
        if (statusCode >= 200 && statusCode < 300) {
          started = true;
          return openSink(statusCode, headers);
        }
        errorStatus = statusCode;
        errorHeaders = headers;
        collector = new ErrorBodyCollector(MAX_UPSTREAM_ERROR_BODY_BYTES);
        return collector;
      },
      (error) => {
        clearTimeout(timer);
        const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
        if (reason instanceof UpstreamAbort && reason.kind === "client-disconnected") {
          resolve({ outcome: "aborted", started });
          return;
        }
        if (collector !== undefined && (error === null || error instanceof ErrorBodyLimitReached)) {
          resolve(upstreamError(target, errorStatus, errorHeaders, collector.body()));
          return;
        }
        if (error !== null) {
          resolve({ outcome: "failed", error: classifyUpstreamFailure(reason ?? error, target), started });
          return;
        }
        resolve({ outcome: "delivered" });
      },
    );
  });
}

function upstreamError(target: UpstreamTarget, status: number, headers: IncomingHttpHeaders, body: Buffer): ForwardResult {
  const contentType = headers["content-type"];
  const isRedirect = status >= 300 && status < 400;
  const normalized = isRedirect
    ? toOpenAIErrorBody(
        new GatewayError(
          "upstream_redirect",
          `Upstream provider '${target.provider}' at ${target.host} answered with a redirect (HTTP ${status}); redirects are not followed. Check the base URL.`,
        ),
      )
    : normalizeUpstreamError({
        status,
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
        body,
        provider: target.provider,
        secrets: target.secrets,
      });
  return { outcome: "upstream-error", status: isRedirect ? 502 : status, headers, body: normalized };
}
