/**
 * @module compat/answer-editor
 * The edits an answer gets on its way to the client, per its {@link AnswerPlan}: usage read (from
 * `usage`, or the kind's own place such as Groq's `x_groq.usage`), the usage chunk the client did
 * not ask for hidden, reasoning text moved to one field. Used per event for streams (through
 * sse/sse-event-transform.ts) and on the whole body for JSON answers.
 */
import type { SseEventEditor } from "../sse/sse-event-transform.js";
import type { AnswerPlan } from "./adaptation.js";
import { encodeEmbeddings } from "./embedding-encoding.js";
import { ARRAY_START, hasKeyFamilyWith, hasKeyWith, keyMarker, lastObjectValue, OBJECT_START, skipWhitespace, STRING_START } from "./json-markers.js";
import { normalizeChoices } from "./reasoning-fields.js";
import { readUsage, toTokenUsage, type TokenUsage } from "./usage.js";

const USAGE_KEY = keyMarker("usage");
/** `"reasoning":` and `"reasoning_content":`, found with one search. */
const REASONING_PREFIX = Buffer.from('"reasoning');
const REASONING_ENDINGS = [Buffer.from('":'), Buffer.from('_content":')];
const EMBEDDING_KEY = keyMarker("embedding");

type JsonRecord = Record<string, unknown>;

function parseRecord(text: string): JsonRecord | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Applies one answer's plan and remembers the usage seen. */
export class AnswerEditor implements SseEventEditor {
  readonly #plan: AnswerPlan;
  readonly #watchUsage: boolean;
  /** The last usage the answer carried; undefined until one is seen (unknown, not zero). */
  usage: TokenUsage | undefined;

  constructor(plan: AnswerPlan) {
    this.#plan = plan;
    this.#watchUsage = plan.readUsage || plan.hideUsageChunk;
  }

  /** True when a chunk holds usage or reasoning text this plan cares about. */
  wants(bytes: Buffer): boolean {
    if (this.#watchUsage && hasKeyWith(bytes, USAGE_KEY, OBJECT_START)) return true;
    return this.#plan.reasoning !== undefined && hasKeyFamilyWith(bytes, REASONING_PREFIX, REASONING_ENDINGS, STRING_START);
  }

  /** One stream chunk's data: kept (undefined), dropped (null) or replaced. */
  edit(data: string): string | null | undefined {
    const chunk = parseRecord(data);
    if (chunk === undefined) return undefined;
    if (this.#watchUsage) {
      const usage = readUsage(chunk, this.#plan.usageAt);
      if (usage !== undefined) this.usage = usage;
      // The extra chunk include_usage adds: `choices: []` (or, from Go servers' omitempty, none) and
      // `usage`. Asked for by the gateway, so hidden.
      const choices = chunk["choices"];
      if (this.#plan.hideUsageChunk && usage !== undefined && (choices === undefined || (Array.isArray(choices) && choices.length === 0))) return null;
    }
    const reasoning = this.#plan.reasoning;
    return reasoning !== undefined && normalizeChoices(chunk, reasoning.target) ? JSON.stringify(chunk) : undefined;
  }

  /** Whether a whole JSON answer must be parsed and re-serialised (rather than only read). */
  needsRewrite(body: Buffer): boolean {
    if (this.#plan.embeddingsBase64 && hasKeyWith(body, EMBEDDING_KEY, ARRAY_START)) return true;
    return this.#plan.reasoning !== undefined && hasKeyFamilyWith(body, REASONING_PREFIX, REASONING_ENDINGS, STRING_START);
  }

  /** A whole JSON answer, edited; the same buffer when nothing changes. */
  editBody(body: Buffer): Buffer {
    if (!this.needsRewrite(body)) {
      if (this.#plan.readUsage) this.#readUsageFrom(body);
      return body;
    }
    const answer = parseRecord(body.toString("utf8"));
    if (answer === undefined) return body;
    if (this.#plan.readUsage) this.usage = readUsage(answer, this.#plan.usageAt) ?? this.usage;
    let changed = false;
    if (this.#plan.embeddingsBase64) changed = encodeEmbeddings(answer, "base64");
    if (this.#plan.reasoning !== undefined) changed = normalizeChoices(answer, this.#plan.reasoning.target) || changed;
    return changed ? Buffer.from(JSON.stringify(answer)) : body;
  }

  /** Reads `usage` alone, without parsing a large body (an embeddings answer). */
  #readUsageFrom(body: Buffer): void {
    const text = lastObjectValue(body, USAGE_KEY);
    const usage = text === undefined ? undefined : toTokenUsage(parseRecord(text));
    if (usage !== undefined) this.usage = usage;
  }
}

/**
 * For a base64 request: decides from the start of an embeddings answer whether the upstream
 * honoured the format (`"embedding":"…`) or ignored it (`"embedding":[…`); undefined until the
 * first embedding value is in view.
 */
export function embeddingsNeedEncoding(head: Buffer): boolean | undefined {
  const at = head.indexOf(EMBEDDING_KEY);
  if (at < 0) return undefined;
  const index = skipWhitespace(head, at + EMBEDDING_KEY.length);
  if (index >= head.length) return undefined;
  return head[index] === ARRAY_START;
}
