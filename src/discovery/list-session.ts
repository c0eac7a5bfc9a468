/**
 * @module discovery/list-session
 * One discovery run's HTTP: a deadline shared by every page, bounded body reads, the headers each
 * list format needs, and the first latency and last status seen (for connection tests). Every
 * failure leaves here as a {@link DiscoveryError} with a plain-language diagnosis.
 */
import type { Dispatcher } from "undici";
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_FIRST_BYTE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS } from "../defaults.js";
import { PoolRegistry } from "../upstream/pool-registry.js";
import { BodyTooLargeError, readLimited } from "../upstream/read-limited.js";
import { DEFAULT_DISCOVERY_TIMEOUT_MS, MAX_ERROR_BODY_BYTES, MAX_MODEL_LIST_BYTES } from "./discovery-limits.js";
import { DiscoveryError } from "./discovery-error.js";
import type { DiscoveryInput, DiscoveryOptions } from "./discovery-types.js";
import { diagnoseHttpAnswer, diagnoseNotAList, parseJson, type AnswerContext, type HttpAnswer } from "./diagnose-http-answer.js";
import { diagnoseNetworkFailure } from "./diagnose-network-failure.js";
import { displayUrl, hostAndPort } from "./base-url.js";
import { requestFrom } from "../upstream/undici-runtime.js";

/** One GET of a list page. */
export interface ListRequest {
  readonly url: URL;
  /** Auth headers of this list format; merged over the input's extra headers. */
  readonly auth: Readonly<Record<string, string>>;
  /** Whether "try …/v1" advice applies when the path is wrong (OpenAI-style lists). */
  readonly pathHints: boolean;
}

/** A 2xx JSON answer; `notAList()` explains it when its shape is not what the format expects. */
export interface ListAnswer {
  readonly json: unknown;
  notAList(): DiscoveryError;
}

/**
 * Names under `.invalid` never resolve (RFC 6761 §6.4 asks resolvers to answer "no such name" at
 * once), so no lookup is sent for them at all.
 */
function isReservedInvalidName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "invalid" || name.endsWith(".invalid");
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** HTTP for one discovery run. Call {@link ListSession.close} when done. */
export class ListSession {
  readonly input: DiscoveryInput;
  /** The key, or undefined when none (or an empty one) is configured. */
  readonly apiKey: string | undefined;
  /** Request sent → headers of the first answer, in ms; null until something answered. */
  latencyMs: number | null = null;
  /** Status of the most recent answer. */
  status: number | undefined;

  readonly #pools: PoolRegistry;
  readonly #ownsPools: boolean;
  readonly #deadline: AbortSignal;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #signal: AbortSignal;
  readonly #timeoutMs: number;
  readonly #connectMs: number;
  readonly #firstByteMs: number;
  readonly #idleMs: number;
  readonly #extraHeaders: Readonly<Record<string, string>>;
  readonly #secrets: string[];

  constructor(input: DiscoveryInput, options: DiscoveryOptions = {}) {
    this.input = input;
    this.apiKey = input.apiKey === undefined || input.apiKey === "" ? undefined : input.apiKey;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_DISCOVERY_TIMEOUT_MS;
    this.#ownsPools = input.pools === undefined;
    this.#pools = input.pools ?? new PoolRegistry({ policy: options.outbound });
    const connectMs = input.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    // A shared registry keys pools by connect timeout: keep the provider's own so its pool is reused.
    this.#connectMs = this.#ownsPools ? Math.min(connectMs, this.#timeoutMs) : connectMs;
    this.#firstByteMs = Math.min(input.timeouts?.firstByteMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS, this.#timeoutMs);
    this.#idleMs = Math.min(input.timeouts?.idleMs ?? DEFAULT_IDLE_TIMEOUT_MS, this.#timeoutMs);
    this.#deadline = AbortSignal.timeout(this.#timeoutMs);
    this.#callerSignal = options.signal;
    this.#signal = options.signal === undefined ? this.#deadline : AbortSignal.any([options.signal, this.#deadline]);
    const extra: Record<string, string> = {};
    for (const [name, value] of Object.entries(input.headers ?? {})) extra[name.toLowerCase()] = value;
    this.#extraHeaders = extra;
    this.#secrets = [...Object.values(extra), ...(this.apiKey === undefined ? [] : [this.apiKey])];
  }

  /** The key and every header value: whatever must never appear in a diagnosis. */
  get secrets(): readonly string[] {
    return this.#secrets;
  }

  /** GETs one list page and parses it as JSON, or throws a diagnosed {@link DiscoveryError}. */
  async getJson(request: ListRequest): Promise<ListAnswer> {
    const context: AnswerContext = { url: request.url, baseUrl: this.input.baseUrl, pathHints: request.pathHints, hasKey: this.apiKey !== undefined, secrets: this.#secrets };
    const answer = await this.#fetch(request);
    if (answer.status < 200 || answer.status >= 300) throw diagnoseHttpAnswer(answer, context);
    const json = parseJson(answer.body.toString("utf8"));
    if (json === undefined) throw diagnoseNotAList(answer, context);
    return { json, notAList: () => diagnoseNotAList(answer, context) };
  }

  async #fetch(request: ListRequest): Promise<HttpAnswer> {
    const { url } = request;
    const failure = (error: unknown) => {
      if (this.#callerSignal?.aborted === true) return this.#callerSignal.reason as unknown;
      return diagnoseNetworkFailure(error, { url, connectTimeoutMs: this.#connectMs, deadlineMs: this.#timeoutMs, deadlineExpired: this.#deadline.aborted });
    };
    if (isReservedInvalidName(url.hostname)) throw failure(Object.assign(new Error("reserved name"), { code: "ENOTFOUND" }));
    if (this.#signal.aborted) throw failure(this.#signal.reason);
    const headers = { accept: "application/json", ...this.#extraHeaders, ...request.auth };
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await requestFrom(this.#pools.get(url.origin, this.#connectMs), {
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers,
        signal: this.#signal,
        headersTimeout: this.#firstByteMs,
        bodyTimeout: this.#idleMs,
      });
    } catch (error) {
      throw failure(error);
    }
    this.latencyMs ??= Math.round(performance.now() - started);
    this.status = response.statusCode;
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    let body: Buffer;
    try {
      body = ok ? await readLimited(response.body, MAX_MODEL_LIST_BYTES) : await readLimited(response.body, MAX_ERROR_BODY_BYTES, { truncate: true });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        throw new DiscoveryError("bad_response", `${displayUrl(url)} sent a model list larger than ${MAX_MODEL_LIST_BYTES / (1024 * 1024)} MB; that is not a model list.`, {
          status: response.statusCode,
        });
      }
      throw failure(error);
    }
    return {
      status: response.statusCode,
      contentType: headerValue(response.headers["content-type"]),
      body,
      retryAfter: headerValue(response.headers["retry-after"]),
      location: headerValue(response.headers["location"]),
    };
  }

  /** Where requests go, as `host:port`, for summaries. */
  get host(): string {
    return hostAndPort(new URL(this.input.baseUrl));
  }

  /** Releases the private pool, if this session opened one. */
  async close(): Promise<void> {
    if (this.#ownsPools) await this.#pools.destroy();
  }
}
