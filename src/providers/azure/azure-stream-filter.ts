/**
 * @module providers/azure/azure-stream-filter
 * Relays an Azure OpenAI chat stream byte for byte, except for the chunks that break OpenAI
 * clients:
 * - the first chunk, which carries only the prompt's content-filter verdict: `choices: []`, empty
 *   `id`/`model`/`object`, `created: 0`, and `prompt_filter_results` (`prompt_annotations` before
 *   2023-10) — dropped;
 * - with the asynchronous filter, annotation chunks whose choices have no `delta` (only
 *   `content_filter_results`/`content_filter_offsets`), which crash clients that read
 *   `choice.delta.content` (openai/openai-node#1015) — dropped, or given `delta: {}` when they
 *   also carry a finish reason;
 * - an in-band `content_filter` error — rewritten to name the categories that fired.
 * Every other event passes through unchanged, bytes and all (STYLE.md §1). OpenAI's own usage
 * chunk (`choices: []` with `usage`) is kept.
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-streaming
 */
import { contentFilterErrorBody, isContentFilterError } from "./azure-content-filter.js";
import { SseDecoder } from "../../sse/sse-decoder.js";
import { encodeSseEvent } from "../../sse/sse-encoder.js";
import { isRecord } from "../../util/is-record.js";

/** What to do with one event. */
export type AzureChunkAction = { readonly action: "keep" } | { readonly action: "drop" } | { readonly action: "replace"; readonly data: string };

const KEEP: AzureChunkAction = { action: "keep" };
const DROP: AzureChunkAction = { action: "drop" };
const LF = 0x0a;
const CR = 0x0d;
/**
 * An unescaped `"delta":` only occurs as a key (a quote inside a JSON string is escaped), and a
 * chunk with a delta is relayed as is, so most events are passed on without being parsed.
 */
const DELTA_KEY = Buffer.from('"delta":');
const EMPTY = Buffer.alloc(0);

/** Decides what happens to one event's `data`. Pure; exported for tests. */
export function classifyAzureChunk(data: string, secrets: readonly string[] = []): AzureChunkAction {
  if (data === "[DONE]") return KEEP;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return KEEP;
  }
  if (!isRecord(json)) return KEEP;
  if (isContentFilterError(json["error"])) return { action: "replace", data: JSON.stringify(contentFilterErrorBody(json["error"], secrets)) };
  const choices = json["choices"];
  if (!Array.isArray(choices)) return KEEP;
  const hasUsage = json["usage"] !== null && json["usage"] !== undefined;
  if (choices.length === 0) {
    const promptVerdictOnly = json["prompt_filter_results"] !== undefined || json["prompt_annotations"] !== undefined;
    return promptVerdictOnly && !hasUsage ? DROP : KEEP;
  }
  const withoutDelta = choices.filter((choice) => isRecord(choice) && choice["delta"] === undefined);
  if (withoutDelta.length === 0) return KEEP;
  const finishes = choices.some((choice) => isRecord(choice) && choice["finish_reason"] !== null && choice["finish_reason"] !== undefined);
  if (withoutDelta.length === choices.length && !finishes && !hasUsage) return DROP;
  const repaired = choices.map((choice) => (isRecord(choice) && choice["delta"] === undefined ? { ...choice, delta: {} } : choice));
  return { action: "replace", data: JSON.stringify({ ...json, choices: repaired }) };
}

/** Filters one Azure stream. Create one per response. */
export class AzureStreamFilter {
  readonly #secrets: readonly string[];
  /** Decodes one complete event at a time; each ends in a blank line, so no state carries over. */
  readonly #eventDecoder = new SseDecoder();
  /** Raw bytes of the event being read, copied out of earlier chunks. */
  #pending: Buffer[] = [];
  #lineLength = 0;
  #afterCr = false;
  #dropped = 0;

  constructor(options: { readonly secrets?: readonly string[] } = {}) {
    this.#secrets = options.secrets ?? [];
  }

  /** How many events were dropped so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Takes the next upstream bytes; returns what to send on (complete events only). */
  push(chunk: Uint8Array): Buffer {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const out: Buffer[] = [];
    let eventStart = 0;
    for (let index = 0; index < bytes.length; index += 1) {
      const byte = bytes[index];
      if (byte === LF && this.#afterCr) {
        // The LF of a CRLF whose CR already ended the line.
        this.#afterCr = false;
        continue;
      }
      this.#afterCr = byte === CR;
      if (byte !== LF && byte !== CR) {
        this.#lineLength += 1;
        continue;
      }
      if (this.#lineLength > 0) {
        this.#lineLength = 0;
        continue;
      }
      // A blank line: the event is complete.
      out.push(this.#decide(this.#take(bytes, eventStart, index + 1)));
      eventStart = index + 1;
    }
    if (eventStart < bytes.length) this.#pending.push(Buffer.from(bytes.subarray(eventStart)));
    return out.length === 0 ? EMPTY : Buffer.concat(out);
  }

  /** Ends the stream; an event cut off without its blank line is judged and sent like the others. */
  end(): Buffer {
    const rest = this.#take(EMPTY, 0, 0);
    this.#lineLength = 0;
    this.#afterCr = false;
    return rest.length === 0 ? EMPTY : this.#decide(rest);
  }

  #take(bytes: Buffer, start: number, end: number): Buffer {
    if (this.#pending.length === 0) return bytes.subarray(start, end);
    const raw = Buffer.concat([...this.#pending, bytes.subarray(start, end)]);
    this.#pending = [];
    return raw;
  }

  #decide(raw: Buffer): Buffer {
    if (raw.includes(DELTA_KEY)) return raw;
    const messages = [...this.#eventDecoder.push(raw), ...this.#eventDecoder.end()];
    const message = messages.length === 1 ? messages[0] : undefined;
    if (message === undefined) return raw;
    const decision = classifyAzureChunk(message.data, this.#secrets);
    switch (decision.action) {
      case "keep":
        return raw;
      case "drop":
        this.#dropped += 1;
        return EMPTY;
      case "replace":
        return Buffer.from(encodeSseEvent({ data: decision.data }));
    }
  }
}
