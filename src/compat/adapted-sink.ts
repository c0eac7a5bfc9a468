/**
 * @module compat/adapted-sink
 * Wraps one attempt's sink when the answer needs adapting (compat/adaptation.ts): stream events go
 * through an {@link SseEventTransform}, JSON answers through a {@link JsonAnswerTransform}, and once
 * the answer has ended its usage is handed to the usage listener. Everything the exchange reads
 * (empty or broken stream, back-pressure, error events) still comes from the wrapped sink, so the
 * attempt loop cannot tell the difference. Answers that need nothing never get this wrapper.
 */
import type { GatewayError } from "../errors/gateway-error.js";
import type { HostSink } from "../gateway/exchange.js";
import { SseEventTransform } from "../sse/sse-event-transform.js";
import type { AnswerPlan } from "./adaptation.js";
import { AnswerEditor } from "./answer-editor.js";
import { JsonAnswerTransform } from "./json-answer-transform.js";
import { emitUsage, type UsageEvent, type UsageListener } from "./usage.js";

/** What a usage event says besides the usage itself. */
export type UsageContext = Omit<UsageEvent, "usage" | "complete" | "stream">;

/** A sink that adapts the answer before the wrapped sink sees it. */
export class AdaptedSink implements HostSink {
  readonly #inner: HostSink;
  readonly #transform: { write(chunk: Buffer): boolean; end(): void };
  readonly #editor: AnswerEditor;
  readonly #stream: boolean;
  readonly #listener: UsageListener | undefined;
  readonly #context: UsageContext;

  constructor(inner: HostSink, plan: AnswerPlan, eventStream: boolean, listener: UsageListener | undefined, context: UsageContext) {
    this.#inner = inner;
    this.#editor = new AnswerEditor(plan);
    const out = (chunk: Buffer): boolean => inner.write(chunk);
    this.#transform = eventStream ? new SseEventTransform(out, this.#editor) : new JsonAnswerTransform(out, this.#editor, plan);
    this.#stream = eventStream;
    this.#listener = plan.readUsage ? listener : undefined;
    this.#context = context;
  }

  get emptyStream(): boolean {
    return this.#inner.emptyStream === true;
  }

  get brokenStream(): boolean {
    return this.#inner.brokenStream === true;
  }

  write(chunk: Buffer): boolean {
    return this.#transform.write(chunk);
  }

  end(): void {
    this.#transform.end();
    this.#inner.end();
    const listener = this.#listener;
    if (listener === undefined || this.emptyStream) return;
    emitUsage(listener, { ...this.#context, stream: this.#stream, complete: !this.brokenStream, usage: this.#editor.usage });
  }

  once(event: "drain", listener: () => void): this {
    this.#inner.once(event, listener);
    return this;
  }

  abortWithError(error: GatewayError): void {
    this.#inner.abortWithError(error);
  }
}
