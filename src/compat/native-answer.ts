/**
 * @module compat/native-answer
 * Sinks that translate an answer from a non-OpenAI wire on its way to the client, wrapping one
 * attempt's sink (server/openai/relay-exchange.ts): Anthropic's Messages JSON (held whole,
 * converted, sent with its own content-length), Anthropic's event stream (translated chunk by
 * chunk), and Azure's stream (filtered). They keep the exchange's contract: an answer that fails
 * before its first byte reaches the client reports `emptyStream` with its `failure`, so the attempt
 * loop may retry or fail over; after the first byte an in-band error ends the client's stream with
 * one error event, which the relay reports as `brokenStream` (it counts against the breaker).
 */
import type { OutgoingHttpHeaders } from "node:http";
import { MAX_ADAPTED_ANSWER_BYTES } from "../defaults.js";
import { GatewayError, isGatewayError } from "../errors/gateway-error.js";
import type { HostSink } from "../gateway/exchange.js";
import type { AnthropicStreamTranslator } from "../providers/anthropic/anthropic-stream-translator.js";
import type { AnthropicUpstreamError } from "../providers/anthropic/anthropic-error.js";
import { AzureStreamFilter } from "../providers/azure/azure-stream-filter.js";
import { anthropicTranslator } from "./anthropic-translator.js";
import type { ReasoningField } from "../providers/parameter-rules.js";
import type { UsageContext } from "./adapted-sink.js";
import { emitUsage, toTokenUsage, type UsageListener } from "./usage.js";

/** Where usage goes, when anything records it. */
export interface NativeUsage {
  readonly listener: UsageListener;
  readonly context: UsageContext;
}

/** An error Anthropic reported (in-band or as a broken answer), as the gateway's error with its status and body kept. */
function asGatewayError(failure: AnthropicUpstreamError): GatewayError {
  const { message, type, param, code } = failure.body.error;
  return new GatewayError("upstream_error", message, { status: failure.status, type, clientCode: code, ...(param === null ? {} : { param }) });
}

/** Delegates what the exchange reads to the wrapped sink. */
abstract class WrappingSink implements HostSink {
  protected readonly inner: HostSink;
  protected ownFailure: GatewayError | undefined;

  constructor(inner: HostSink) {
    this.inner = inner;
  }

  get emptyStream(): boolean {
    return this.ownFailure !== undefined || this.inner.emptyStream === true;
  }

  get brokenStream(): boolean {
    return this.inner.brokenStream === true;
  }

  get failure(): GatewayError | undefined {
    return this.ownFailure ?? this.inner.failure;
  }

  abstract write(chunk: Buffer): boolean;
  abstract end(): void;

  once(event: "drain", listener: () => void): this {
    this.inner.once(event, listener);
    return this;
  }

  abortWithError(error: GatewayError): void {
    this.inner.abortWithError(error);
  }
}

/** A non-streaming Messages answer → one `chat.completion`, sent with a content-length of its own. */
export class AnthropicJsonSink extends WrappingSink {
  readonly #headers: OutgoingHttpHeaders;
  readonly #reasoningField: ReasoningField | undefined;
  readonly #usage: NativeUsage | undefined;
  #chunks: Buffer[] = [];
  #length = 0;

  /** `headers` are the client headers the wrapped sink will write: their content-length is replaced. */
  constructor(inner: HostSink, headers: OutgoingHttpHeaders, reasoningField: ReasoningField | undefined, usage: NativeUsage | undefined) {
    super(inner);
    this.#headers = headers;
    delete headers["content-length"];
    this.#reasoningField = reasoningField;
    this.#usage = usage;
  }

  write(chunk: Buffer): boolean {
    if (this.ownFailure !== undefined) return true;
    this.#length += chunk.length;
    if (this.#length > MAX_ADAPTED_ANSWER_BYTES) {
      this.ownFailure = new GatewayError("upstream_bad_response", `Upstream provider answered with more than ${MAX_ADAPTED_ANSWER_BYTES} bytes; the answer was not translated.`);
      this.#chunks = [];
      return true;
    }
    this.#chunks.push(chunk);
    return true;
  }

  end(): void {
    if (this.ownFailure !== undefined) return;
    const text = Buffer.concat(this.#chunks, this.#length).toString("utf8");
    this.#chunks = [];
    let completion;
    try {
      completion = anthropicTranslator().convertAnthropicResponse(JSON.parse(text), this.#reasoningField === undefined ? {} : { reasoningField: this.#reasoningField });
    } catch (error) {
      // Nothing was sent yet: the attempt fails and may be retried or failed over.
      this.ownFailure = isGatewayError(error) ? error : new GatewayError("upstream_bad_response", "Upstream provider answered with a body that is not JSON.");
      return;
    }
    const bytes = Buffer.from(JSON.stringify(completion));
    this.#headers["content-length"] = String(bytes.length);
    this.inner.write(bytes);
    this.inner.end();
    const usage = this.#usage;
    if (usage !== undefined) emitUsage(usage.listener, { ...usage.context, stream: false, complete: true, usage: toTokenUsage(completion.usage) });
  }
}

/** A Messages event stream → OpenAI `chat.completion.chunk` events. */
export class AnthropicStreamSink extends WrappingSink {
  readonly #translator: AnthropicStreamTranslator;
  readonly #usage: NativeUsage | undefined;
  /** True once a byte went to the client (the wrapped sink writes its headers with it). */
  #sent = false;

  constructor(inner: HostSink, options: { readonly includeUsage: boolean; readonly reasoningField: ReasoningField | undefined; readonly secrets: readonly string[] }, usage: NativeUsage | undefined) {
    super(inner);
    this.#translator = new (anthropicTranslator().AnthropicStreamTranslator)({
      includeUsage: options.includeUsage,
      secrets: options.secrets,
      ...(options.reasoningField === undefined ? {} : { reasoningField: options.reasoningField }),
    });
    this.#usage = usage;
  }

  /** Also the in-band error after the first byte, so the deployment's health names it rather than a cut-off stream. */
  override get failure(): GatewayError | undefined {
    const translated = this.#translator.failure;
    return this.ownFailure ?? (translated === undefined ? this.inner.failure : asGatewayError(translated));
  }

  write(chunk: Buffer): boolean {
    return this.#forward(this.#translator.push(chunk));
  }

  end(): void {
    this.#forward(this.#translator.end());
    if (this.ownFailure !== undefined) return;
    this.inner.end();
    const usage = this.#usage;
    if (usage === undefined || this.emptyStream) return;
    emitUsage(usage.listener, { ...usage.context, stream: true, complete: !this.brokenStream, usage: toTokenUsage(this.#translator.usage) });
  }

  #forward(out: Buffer): boolean {
    const failure = this.#translator.failure;
    // An error before anything reached the client (529 overloaded in the first event): the attempt
    // failed and nothing was sent, so the loop may retry it or fail over.
    if (failure !== undefined && !this.#sent) {
      this.ownFailure ??= asGatewayError(failure);
      return true;
    }
    if (out.length === 0) return true;
    this.#sent = true;
    return this.inner.write(out);
  }
}

/** Azure's stream with its prompt-filter chunk and delta-less annotation chunks taken out. */
export class AzureStreamSink extends WrappingSink {
  readonly #filter: AzureStreamFilter;

  constructor(inner: HostSink, secrets: readonly string[]) {
    super(inner);
    this.#filter = new AzureStreamFilter({ secrets });
  }

  write(chunk: Buffer): boolean {
    const out = this.#filter.push(chunk);
    return out.length === 0 ? true : this.inner.write(out);
  }

  end(): void {
    const tail = this.#filter.end();
    if (tail.length > 0) this.inner.write(tail);
    this.inner.end();
  }
}
