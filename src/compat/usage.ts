/**
 * @module compat/usage
 * Token usage as upstreams report it, and the hook that hands it to whoever records it (the usage
 * store is a later issue; library users can pass `onUsage` to createGateway today). Usage the
 * upstream did not report is `undefined` — unknown — never zero.
 */
import type { Endpoint } from "../providers/types.js";

/** Tokens of one answer, as the upstream reported them. */
export interface TokenUsage {
  readonly promptTokens: number | undefined;
  readonly completionTokens: number | undefined;
  readonly totalTokens: number | undefined;
  /** The upstream's usage object, for fields beyond the three counts (cached and reasoning tokens). */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** One answer that reached a client, with its usage. */
export interface UsageEvent {
  readonly endpoint: Endpoint;
  /** The model or route name the client asked for. */
  readonly model: string;
  /** `provider/upstream-model` that answered. */
  readonly deployment: string;
  readonly provider: string;
  readonly stream: boolean;
  /** False when a stream reached the client but was cut off or carried an in-band error. */
  readonly complete: boolean;
  /** Undefined when the upstream reported no usage: unknown, not zero. */
  readonly usage: TokenUsage | undefined;
}

/** Receives usage events; must not throw (errors are swallowed so an answer is never disturbed). */
export type UsageListener = (event: UsageEvent) => void;

function count(record: Readonly<Record<string, unknown>>, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = record[name];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return undefined;
}

function child(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/** Usage from an object's `usage` member. */
export function toTokenUsage(usage: unknown): TokenUsage | undefined {
  if (typeof usage !== "object" || usage === null || Array.isArray(usage)) return undefined;
  const record = usage as Readonly<Record<string, unknown>>;
  const promptTokens = count(record, "prompt_tokens", "input_tokens");
  const completionTokens = count(record, "completion_tokens", "output_tokens");
  const totalTokens = count(record, "total_tokens") ?? (promptTokens !== undefined && completionTokens !== undefined ? promptTokens + completionTokens : undefined);
  if (promptTokens === undefined && completionTokens === undefined && totalTokens === undefined) return undefined;
  return { promptTokens, completionTokens, totalTokens, raw: record };
}

/**
 * Usage carried by one answer object or stream chunk: its top-level `usage`, else the kind's own
 * place (`usageAt`, Groq's `x_groq.usage`).
 */
export function readUsage(value: unknown, usageAt: readonly string[] | undefined): TokenUsage | undefined {
  const direct = toTokenUsage(child(value, "usage"));
  if (direct !== undefined || usageAt === undefined) return direct;
  let node: unknown = value;
  for (const key of usageAt) node = child(node, key);
  return toTokenUsage(node);
}

/** Calls the listener, never letting its failure reach the answer. */
export function emitUsage(listener: UsageListener, event: UsageEvent): void {
  try {
    listener(event);
  } catch {
    // A recorder's bug must not break the client's answer; the recorder logs its own failures.
  }
}
