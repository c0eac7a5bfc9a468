/**
 * @module compat/request-facts
 * The few facts about a JSON request that decide, without parsing it again, whether any parameter
 * rule applies to it: whether it streams, whether it asked for usage, and which top-level members a
 * rule anywhere in the registry names (with their values reduced to what a rule's condition reads).
 * Read once from the value json-endpoint already parsed; the value itself is not kept, so a large
 * body is garbage as soon as it is routed.
 */
import { PROVIDER_KINDS } from "../providers/registry.js";
import type { KindParameters } from "../providers/parameter-rules.js";

/** A value reduced for rule conditions: primitives as they are, arrays and objects by a marker. */
export type FactValue = string | number | boolean | null | typeof EMPTY_ARRAY | typeof FILLED_ARRAY | typeof OBJECT_VALUE;

/** An array with no elements (`tools: []`). */
export const EMPTY_ARRAY: unique symbol = Symbol("empty-array");
/** An array with elements. */
export const FILLED_ARRAY: unique symbol = Symbol("filled-array");
/** An object. */
export const OBJECT_VALUE: unique symbol = Symbol("object");

/** What the rules need to know about one request. */
export interface RequestFacts {
  readonly stream: boolean;
  /** `stream_options.include_usage === true`. */
  readonly includeUsage: boolean;
  /** Members some rule names, by name; undefined when there are none (the common case). */
  readonly present: ReadonlyMap<string, FactValue> | undefined;
  /** `encoding_format` of an embeddings request, when it is a string. */
  readonly encodingFormat: string | undefined;
  /** `x-switchyard-strict: true` on the request: every drop becomes a 400. */
  readonly strict: boolean;
}

/** Parameters that are not rules' own but whose presence the adapters read. */
const ALWAYS_WATCHED = ["reasoning_effort", "stream_options", "response_format", "tool_choice"];

function ruleParameters(parameters: KindParameters | undefined): string[] {
  const names: string[] = [];
  const rules = [...(parameters?.chat ?? []), ...(parameters?.models ?? []).flatMap((entry) => entry.rules)];
  for (const rule of rules) {
    if (rule.action === "strip-history") continue;
    names.push(rule.parameter);
    if (rule.action === "drop") names.push(...(rule.alsoDrop ?? []));
  }
  return names;
}

/** Every top-level parameter any kind's rule names; built once when the module loads. */
export const WATCHED_PARAMETERS: ReadonlySet<string> = new Set([...ALWAYS_WATCHED, ...PROVIDER_KINDS.flatMap((kind) => ruleParameters(kind.parameters))]);

function reduce(value: unknown): FactValue {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.length === 0 ? EMPTY_ARRAY : FILLED_ARRAY;
  return OBJECT_VALUE;
}

/** Reads the facts from a parsed request body. */
export function readRequestFacts(value: Readonly<Record<string, unknown>>, strict: boolean): RequestFacts {
  let present: Map<string, FactValue> | undefined;
  // Iterating the body's own keys (a handful) is cheaper than probing every watched name.
  for (const key in value) {
    if (!WATCHED_PARAMETERS.has(key)) continue;
    present ??= new Map();
    present.set(key, reduce(value[key]));
  }
  const streamOptions = value["stream_options"];
  const includeUsage =
    typeof streamOptions === "object" && streamOptions !== null && (streamOptions as Record<string, unknown>)["include_usage"] === true;
  const encodingFormat = value["encoding_format"];
  return {
    stream: value["stream"] === true,
    includeUsage,
    present,
    encodingFormat: typeof encodingFormat === "string" ? encodingFormat : undefined,
    strict,
  };
}

/** Whether the request header asks for strict parameter handling (`x-switchyard-strict: true`). */
export function isStrictHeader(header: string | string[] | undefined): boolean {
  return header !== undefined && (Array.isArray(header) ? header : [header]).some((value) => /^\s*(true|1|yes)\s*$/i.test(value));
}
