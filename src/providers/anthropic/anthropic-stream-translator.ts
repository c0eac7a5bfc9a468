/**
 * @module providers/anthropic/anthropic-stream-translator
 * Anthropic's Messages event stream → OpenAI `chat.completion.chunk` events, incrementally: bytes
 * in, bytes out, chunk boundaries anywhere (the SSE decoder keeps the unfinished line). Text,
 * thinking and tool-argument deltas are forwarded as they arrive; `ping` and signatures are
 * dropped; the finish reason, the usage chunk (when asked for) and `data: [DONE]` follow
 * `message_stop`. An in-band `error` event, or a stream that ends before `message_stop`, ends the
 * output with one `data: {"error":…}` event and no `[DONE]` (AGENTS.md "Streams").
 * @see https://platform.claude.com/docs/en/build-with-claude/streaming
 */
import { anthropicStreamEventSchema, type AnthropicStreamEvent, type AnthropicUsage } from "./anthropic-wire.js";
import { convertAnthropicErrorObject, type AnthropicUpstreamError } from "./anthropic-error.js";
import { unixSeconds, type AnthropicResponseOptions } from "./convert-anthropic-response.js";
import { convertAnthropicUsage, mergeAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";
import type { OpenAIChatCompletionChunk, OpenAIChunkDelta, OpenAIFinishReason, OpenAIUsage } from "./openai-chat-types.js";
import type { OpenAIErrorBody } from "../../errors/openai-error-body.js";
import { SseDecoder, type SseMessage } from "../../sse/sse-decoder.js";
import { encodeSseEvent } from "../../sse/sse-encoder.js";

/** Choices the caller makes for one translated stream. */
export interface AnthropicStreamOptions extends AnthropicResponseOptions {
  /** The client sent `stream_options.include_usage: true`: add OpenAI's usage chunk before `[DONE]`. */
  readonly includeUsage: boolean;
  /** Values redacted from in-band error messages (the Anthropic key). */
  readonly secrets?: readonly string[];
}

/** What the translator remembers about each content block, by Anthropic's block index. */
interface BlockState {
  readonly kind: "text" | "thinking" | "tool" | "other";
  /** The tool call's position among this message's tool calls (OpenAI's `tool_calls[].index`). */
  readonly toolIndex: number;
  /** `content_block_start` input, sent as the arguments if no `input_json_delta` follows. */
  readonly input: unknown;
  sentArguments: boolean;
}

const EMPTY = Buffer.alloc(0);

/** A failure of Switchyard's own making (the catalogue's codes), as a 502 that is not retried mid-stream. */
function streamFailure(code: "upstream_stream_truncated" | "upstream_bad_response", message: string): AnthropicUpstreamError {
  const body: OpenAIErrorBody = { error: { message, type: "server_error", param: null, code } };
  return { status: 502, body, retryable: false };
}

/** Translates one Anthropic stream. Create one per response. */
export class AnthropicStreamTranslator {
  readonly #decoder = new SseDecoder();
  readonly #options: AnthropicStreamOptions;
  readonly #created: number;
  readonly #blocks = new Map<number, BlockState>();
  #id = "";
  #model: string;
  #toolCount = 0;
  #started = false;
  #usage: AnthropicUsage | undefined;
  #stopReason: string | undefined;
  #state: "open" | "done" | "failed" = "open";
  #failure: AnthropicUpstreamError | undefined;

  constructor(options: AnthropicStreamOptions) {
    this.#options = options;
    this.#created = options.created ?? unixSeconds();
    this.#model = options.model ?? "";
  }

  /** Translates the next upstream bytes; returns the OpenAI SSE bytes they complete (often none). */
  push(chunk: Uint8Array): Buffer {
    if (this.#state !== "open") return EMPTY;
    return this.#translate(this.#decoder.push(chunk));
  }

  /**
   * Ends the upstream stream. A last event without its blank line still counts; a stream that
   * never reached `message_stop` (nor an error) ends with a truncation error event.
   */
  end(): Buffer {
    if (this.#state !== "open") return EMPTY;
    const tail = this.#translate(this.#decoder.end());
    if (this.#state !== "open") return tail;
    const truncated = streamFailure("upstream_stream_truncated", "Upstream provider 'anthropic' ended the stream before message_stop; the answer is incomplete.");
    return Buffer.concat([tail, Buffer.from(this.#fail(truncated))]);
  }

  /** True once the output is complete: `[DONE]` or an error event was produced. */
  get finished(): boolean {
    return this.#state !== "open";
  }

  /**
   * The in-band or truncation error the output ended with, with its status and whether the error
   * type is transient. Bytes may already have reached the client, so the router's rule (no retry
   * once the stream started) still decides.
   */
  get failure(): AnthropicUpstreamError | undefined {
    return this.#failure;
  }

  /**
   * Usage so far in OpenAI terms, or undefined when Anthropic sent none. Available whether or not
   * the client asked for the usage chunk, for the gateway's own accounting.
   */
  get usage(): OpenAIUsage | undefined {
    return convertAnthropicUsage(this.#usage);
  }

  /** The finish reason once `message_delta` named one. */
  get finishReason(): OpenAIFinishReason | undefined {
    return this.#stopReason === undefined ? undefined : mapAnthropicStopReason(this.#stopReason);
  }

  #translate(messages: readonly SseMessage[]): Buffer {
    if (messages.length === 0) return EMPTY;
    let out = "";
    for (const message of messages) {
      if (this.#state !== "open") break;
      out += this.#event(message);
    }
    return out === "" ? EMPTY : Buffer.from(out);
  }

  #event(message: SseMessage): string {
    // OpenRouter's Anthropic route appends `data: [DONE]`, which is not an Anthropic event.
    if (message.data === "[DONE]") return "";
    let event: AnthropicStreamEvent;
    try {
      event = anthropicStreamEventSchema.parse(JSON.parse(message.data));
    } catch {
      return this.#fail(streamFailure("upstream_bad_response", "Upstream provider 'anthropic' sent a stream event that is not a valid Messages API event."));
    }
    switch (event.type) {
      case "message_start":
        this.#id = event.message?.id ?? this.#id;
        if (this.#options.model === undefined) this.#model = event.message?.model ?? this.#model;
        this.#usage = mergeAnthropicUsage(this.#usage, event.message?.usage);
        return this.#start();
      case "content_block_start":
        return this.#blockStart(event);
      case "content_block_delta":
        return this.#blockDelta(event);
      case "content_block_stop":
        return this.#blockStop(event.index ?? -1);
      case "message_delta":
        this.#stopReason = event.delta?.stop_reason ?? this.#stopReason;
        this.#usage = mergeAnthropicUsage(this.#usage, event.usage);
        return "";
      case "message_stop":
        return this.#finish();
      case "error":
        return this.#fail(convertAnthropicErrorObject(event.error, event["request_id"], undefined, this.#options.secrets ?? []));
      default:
        // `ping` keeps the connection alive; unknown future events are ignored, as Anthropic asks.
        return "";
    }
  }

  /** The first chunk carries the role, as OpenAI's does. */
  #start(): string {
    if (this.#started) return "";
    this.#started = true;
    return this.#chunk({ role: "assistant", content: "" }, null);
  }

  #blockStart(event: AnthropicStreamEvent): string {
    const block = event.content_block;
    const index = event.index ?? -1;
    let out = this.#start();
    switch (block?.type) {
      case "text":
        this.#blocks.set(index, { kind: "text", toolIndex: -1, input: undefined, sentArguments: false });
        if (block.text) out += this.#chunk({ content: block.text }, null);
        return out;
      case "thinking":
        this.#blocks.set(index, { kind: "thinking", toolIndex: -1, input: undefined, sentArguments: false });
        if (block.thinking) out += this.#chunk(this.#reasoning(block.thinking), null);
        return out;
      case "tool_use": {
        const toolIndex = this.#toolCount;
        this.#toolCount += 1;
        this.#blocks.set(index, { kind: "tool", toolIndex, input: block.input, sentArguments: false });
        return out + this.#chunk({ tool_calls: [{ index: toolIndex, id: block.id ?? "", type: "function", function: { name: block.name ?? "", arguments: "" } }] }, null);
      }
      default:
        // Server tools, redacted thinking, fallback markers: nothing a chat completion can show.
        this.#blocks.set(index, { kind: "other", toolIndex: -1, input: undefined, sentArguments: false });
        return out;
    }
  }

  #blockDelta(event: AnthropicStreamEvent): string {
    const delta = event.delta;
    const block = this.#blocks.get(event.index ?? -1);
    switch (delta?.type) {
      case "text_delta":
        return delta.text ? this.#start() + this.#chunk({ content: delta.text }, null) : "";
      case "thinking_delta":
        return delta.thinking ? this.#start() + this.#chunk(this.#reasoning(delta.thinking), null) : "";
      case "input_json_delta": {
        // The first delta of a tool block is often `""`; an empty fragment is not worth a chunk.
        if (block?.kind !== "tool" || !delta.partial_json) return "";
        block.sentArguments = true;
        return this.#chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: delta.partial_json } }] }, null);
      }
      default:
        // `signature_delta` (verifies thinking) and `citations_delta` have no OpenAI counterpart.
        return "";
    }
  }

  /** A tool call whose input came whole in `content_block_start` (or is empty) still needs arguments. */
  #blockStop(index: number): string {
    const block = this.#blocks.get(index);
    if (block?.kind !== "tool" || block.sentArguments) return "";
    block.sentArguments = true;
    return this.#chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: JSON.stringify(block.input ?? {}) } }] }, null);
  }

  #finish(): string {
    this.#state = "done";
    let out = this.#start() + this.#chunk({}, mapAnthropicStopReason(this.#stopReason));
    const usage = this.usage;
    // Unknown usage is left out rather than reported as zero.
    if (this.#options.includeUsage && usage !== undefined) {
      const usageChunk: OpenAIChatCompletionChunk = { id: this.#id, object: "chat.completion.chunk", created: this.#created, model: this.#model, choices: [], usage };
      out += encodeSseEvent({ data: JSON.stringify(usageChunk) });
    }
    return out + encodeSseEvent({ data: "[DONE]" });
  }

  #fail(failure: AnthropicUpstreamError): string {
    this.#state = "failed";
    this.#failure = failure;
    return encodeSseEvent({ data: JSON.stringify(failure.body) });
  }

  #reasoning(text: string): OpenAIChunkDelta {
    return this.#options.reasoningField === "reasoning" ? { reasoning: text } : { reasoning_content: text };
  }

  #chunk(delta: OpenAIChunkDelta, finishReason: OpenAIFinishReason | null): string {
    const chunk: OpenAIChatCompletionChunk = {
      id: this.#id,
      object: "chat.completion.chunk",
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      // OpenAI: with include_usage, "all other chunks will also include a usage field, but with a null value".
      ...(this.#options.includeUsage ? { usage: null } : {}),
    };
    return encodeSseEvent({ data: JSON.stringify(chunk) });
  }
}
