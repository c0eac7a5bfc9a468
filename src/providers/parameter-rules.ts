/**
 * @module providers/parameter-rules
 * The vocabulary a kind uses to declare, as data, where its upstream departs from OpenAI's request
 * and answer format (issue 5): parameters it knows under another name, rejects or silently ignores,
 * or reads from its own field; the reasoning efforts it understands; where its streamed usage comes
 * from; and which field its reasoning text arrives in. src/compat/ applies them; every change is
 * reported to the client in `x-switchyard-changed-params` / `x-switchyard-dropped-params`.
 */

/** A JSON value a `drop` rule may leave in place (it is the upstream's own default anyway). */
export type KeptValue = string | number | boolean | null;

/** The two fields reasoning text arrives in, depending on the server and its version. */
export type ReasoningField = "reasoning" | "reasoning_content";

/** Named converters that rewrite a parameter's value into an upstream's own shape. */
export type ParameterConverter = "tgi-response-format";

/** One change to a chat request, applied only when the client sent the parameter. */
export type ParameterRule =
  /** The upstream knows the parameter under another name (Ollama ignores `max_completion_tokens`). */
  | { readonly action: "rename"; readonly parameter: string; readonly to: string; readonly reason: string }
  /**
   * The upstream rejects the parameter, or silently ignores it. `keep` lists values that mean the
   * upstream's default anyway (`n: 1`): they stay in place and are not reported. `when` narrows the
   * rule to non-streaming requests (vLLM's `stream_options`) or to empty arrays (`tools: []`).
   */
  | {
      readonly action: "drop";
      readonly parameter: string;
      readonly reason: string;
      readonly keep?: readonly KeptValue[];
      readonly when?: "not-streaming" | "empty";
      /** Parameters that mean nothing once this one is gone (`tool_choice` without `tools`); dropped with it. */
      readonly alsoDrop?: readonly string[];
    }
  /** The upstream reads the value from its own (nested) field, e.g. OpenRouter's `reasoning.effort`. */
  | { readonly action: "move"; readonly parameter: string; readonly to: readonly [string, ...string[]]; readonly reason: string }
  /** The value is rewritten into the upstream's own shape by a named converter (src/compat/convert-parameter.ts). */
  | { readonly action: "convert"; readonly parameter: string; readonly converter: ParameterConverter; readonly reason: string }
  /** The upstream rejects this field on replayed assistant messages (`messages[].reasoning_content`). */
  | { readonly action: "strip-history"; readonly field: ReasoningField; readonly reason: string };

/** Rules that apply only to some upstream models (OpenAI's reasoning models want `max_completion_tokens`). */
export interface ModelParameterRules {
  /** Tested against the upstream model name. */
  readonly match: RegExp;
  readonly rules: readonly ParameterRule[];
}

/** How a kind treats `reasoning_effort`. */
export interface ReasoningEffortSupport {
  /** Where the upstream reads it; absent means `reasoning_effort`, as clients send it. */
  readonly field?: readonly [string, ...string[]];
  /** The values it accepts; any other value is dropped with a note (or refused in strict mode). Absent: all pass. */
  readonly values?: readonly string[];
  /** Where the accepted values and the field are documented. */
  readonly source: string;
}

/** What a kind declares about parameters and answers. Absent members mean "as OpenAI does" or "unknown". */
export interface KindParameters {
  /** Rules for `/v1/chat/completions` requests, applied in order. */
  readonly chat?: readonly ParameterRule[];
  /** Extra chat rules for some upstream models, applied after `chat`. */
  readonly models?: readonly ModelParameterRules[];
  /** `unsupported`: dropped with a note (400 in strict mode). Absent: passed as sent (unknown server). */
  readonly reasoningEffort?: ReasoningEffortSupport | "unsupported";
  /**
   * How a chat stream carries usage. `include-usage`: only when asked through
   * `stream_options.include_usage`, as an extra chunk with `choices: []` (the gateway asks when usage
   * is being recorded, and hides that chunk from a client that did not ask). `always`: without
   * asking, on the last chunk (Mistral, Groq). Absent: unknown, never asked for.
   */
  readonly streamUsage?: "include-usage" | "always";
  /** Where usage sits in a chunk when not at the top level (Groq: `x_groq.usage`). */
  readonly usageAt?: readonly [string, ...string[]];
  /** The fields the upstream's answers carry reasoning text in; both when versions differ or overlap. */
  readonly reasoningOutput?: readonly ReasoningField[];
}

/**
 * Parameters whose loss changes what the answer means. They are never dropped without a note, and
 * the docs call them out; `x-switchyard-strict: true` turns every drop into a 400.
 */
export const SEMANTIC_PARAMETERS: ReadonlySet<string> = new Set(["reasoning_effort", "response_format", "tool_choice"]);

/** `max_completion_tokens` → `max_tokens`, for servers that only know the older name. */
export function renameMaxCompletionTokens(reason: string): ParameterRule {
  return { action: "rename", parameter: "max_completion_tokens", to: "max_tokens", reason };
}
