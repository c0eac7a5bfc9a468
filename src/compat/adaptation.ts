/**
 * @module compat/adaptation
 * What the gateway changed in one request for one deployment, and what that deployment's answer
 * needs in return. Produced by the route adapter with the body, read by the HTTP host to add the
 * `x-switchyard-*-params` headers and to wrap the answer's sink.
 */
import type { Endpoint } from "../providers/types.js";
import type { ReasoningField } from "../providers/parameter-rules.js";
import type { PolicySetting } from "./parameter-policy.js";
import type { UsageListener } from "./usage.js";

/** How one answer must be adapted on its way to the client. */
export interface AnswerPlan {
  readonly endpoint: Endpoint;
  readonly stream: boolean;
  /** The gateway asked for stream usage the client did not ask for: hide the extra `choices: []` chunk. */
  readonly hideUsageChunk: boolean;
  /** Read usage for the usage listener. */
  readonly readUsage: boolean;
  /** Where usage sits when not at the top level of a chunk (Groq's `x_groq.usage`). */
  readonly usageAt: readonly string[] | undefined;
  /** Set when reasoning text needs normalising: the field clients get, or undefined to keep the upstream's (de-duplicated). */
  readonly reasoning: { readonly target: ReasoningField | undefined } | undefined;
  /** The client asked for base64 embeddings: floats from an upstream that ignored it are encoded. */
  readonly embeddingsBase64: boolean;
}

/** The gateway's changes for one attempt. */
export interface RequestAdaptation {
  /** `x-switchyard-changed-params` / `x-switchyard-dropped-params`, when anything was changed. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Undefined when the answer passes through untouched. */
  readonly answer: AnswerPlan | undefined;
  /** Set when the body was translated to another wire (compat/native-request.ts): what the answer's translator needs. */
  readonly translated?: { readonly includeUsage: boolean };
}

/** Gateway-wide settings the adapters read (config file `parameters`, and the usage listener). */
export interface CompatSettings {
  /** The field reasoning text reaches clients in; `as-sent` keeps the upstream's (still never duplicated). */
  readonly reasoningField: ReasoningField | "as-sent";
  readonly policy: PolicySetting | undefined;
  /** Called with each answer's usage; when absent, usage is neither requested nor read. */
  readonly onUsage: UsageListener | undefined;
}
