/**
 * @module compat/route-adapter
 * Applies one deployment's parameter rules (its kind's, plus those for its upstream model) to a
 * request. Built once per route and cached. Whether anything applies is decided from the request's
 * facts alone; only then is the body parsed, changed and re-serialised. A request no rule touches
 * keeps the pass-through path: the client's bytes with the model value replaced (decision 0002).
 */
import { GatewayError } from "../errors/gateway-error.js";
import type { Route } from "../gateway/model-router.js";
import { SEMANTIC_PARAMETERS, type ParameterRule, type ReasoningField } from "../providers/parameter-rules.js";
import type { AnswerPlan, CompatSettings, RequestAdaptation } from "./adaptation.js";
import { applyChanges, type Change } from "./apply-changes.js";
import { PolicyTable } from "./parameter-policy.js";
import { EMPTY_ARRAY, OBJECT_VALUE, type FactValue, type RequestFacts } from "./request-facts.js";

/** A drop the policy refuses (strict): the parameter and why the deployment cannot take it. */
export interface Violation {
  readonly parameter: string;
  readonly reason: string;
}

/** The body for one attempt and what was changed; `text` undefined means "the pass-through body". */
export interface AdaptedRequest {
  readonly text: string | undefined;
  readonly adaptation: RequestAdaptation | undefined;
}

const PASS_THROUGH: AdaptedRequest = { text: undefined, adaptation: undefined };

function keeps(rule: Extract<ParameterRule, { action: "drop" }>, value: FactValue | undefined): boolean {
  if (rule.when === "empty" && value !== EMPTY_ARRAY) return true;
  return rule.keep !== undefined && rule.keep.some((kept) => kept === value);
}

/** One route's compiled rules. */
export class RouteAdapter {
  readonly #route: Route;
  readonly #label: string;
  readonly #rules: readonly Exclude<ParameterRule, { action: "strip-history" }>[];
  readonly #historyFields: readonly ReasoningField[];
  readonly #policy: PolicyTable;
  /** Set when every chat answer of this route needs its reasoning text normalised. */
  readonly #reasoning: AnswerPlan["reasoning"];
  readonly #askUsage: boolean;
  readonly #readUsage: boolean;
  /** True when no rule, no usage handling and no answer change can ever apply: the cheapest path. */
  readonly inert: boolean;

  constructor(route: Route, settings: CompatSettings) {
    const kind = route.provider.settings.kind;
    const parameters = kind.parameters ?? {};
    const endpoint = route.target.endpoint;
    this.#route = route;
    this.#label = `'${route.deployment}' (${kind.displayName})`;
    const chat = endpoint === "chat";
    const modelRules = (parameters.models ?? []).filter((entry) => entry.match.test(route.upstreamModel)).flatMap((entry) => entry.rules);
    const rules = chat ? [...(parameters.chat ?? []), ...modelRules] : [];
    this.#rules = rules.flatMap((rule) => (rule.action === "strip-history" ? [] : [rule]));
    this.#historyFields = rules.flatMap((rule) => (rule.action === "strip-history" ? [rule.field] : []));
    this.#policy = new PolicyTable(route.provider.settings.parameterPolicy, settings.policy);
    const fields = parameters.reasoningOutput ?? [];
    const target = settings.reasoningField === "as-sent" ? undefined : settings.reasoningField;
    const needsReasoning = chat && (fields.length > 1 || (fields.length === 1 && target !== undefined && fields[0] !== target));
    this.#reasoning = needsReasoning ? { target } : undefined;
    this.#readUsage = settings.onUsage !== undefined && (chat || endpoint === "completions" || endpoint === "embeddings");
    this.#askUsage = settings.onUsage !== undefined && chat && parameters.streamUsage === "include-usage";
    const effortRules = chat && parameters.reasoningEffort !== undefined;
    this.inert = this.#rules.length === 0 && this.#historyFields.length === 0 && !effortRules && !this.#reasoning && !this.#readUsage && endpoint !== "embeddings";
  }

  /** The changes this request needs, decided from its facts (and, for replayed history, a text search). */
  #plan(facts: RequestFacts, text: string): Change[] {
    const changes: Change[] = [];
    const present = facts.present;
    const policy = this.#policy;
    if (present !== undefined) {
      for (const rule of this.#rules) {
        if (!present.has(rule.parameter) || policy.configured(rule.parameter) === "pass") continue;
        const value = present.get(rule.parameter);
        switch (rule.action) {
          case "rename":
            changes.push({ kind: "rename", parameter: rule.parameter, to: [rule.to], reason: rule.reason });
            break;
          case "move":
            changes.push({ kind: "rename", parameter: rule.parameter, to: rule.to, reason: rule.reason });
            break;
          case "convert":
            if (value === OBJECT_VALUE) changes.push({ kind: "convert", parameter: rule.parameter, converter: rule.converter, reason: rule.reason });
            break;
          case "drop":
            if (rule.when === "not-streaming" && facts.stream) break;
            if (keeps(rule, value)) break;
            changes.push({ kind: "drop", parameter: rule.parameter, reason: rule.reason });
            for (const other of rule.alsoDrop ?? []) if (present.has(other)) changes.push({ kind: "drop", parameter: other, reason: rule.reason });
            break;
        }
      }
      this.#planEffort(facts, changes);
    }
    for (const field of this.#historyFields) {
      if (policy.configured(field) !== "pass" && text.includes(`"${field}"`)) changes.push({ kind: "strip-history", field, reason: `${this.#label} refuses ${field} on replayed messages` });
    }
    if (this.#askUsage && facts.stream && !facts.includeUsage && policy.configured("stream_options") !== "pass") changes.push({ kind: "ask-usage" });
    return changes;
  }

  #planEffort(facts: RequestFacts, changes: Change[]): void {
    const support = this.#route.provider.settings.kind.parameters?.reasoningEffort;
    const value = facts.present?.get("reasoning_effort");
    if (support === undefined || value === undefined || this.#policy.configured("reasoning_effort") === "pass") return;
    if (support === "unsupported") {
      changes.push({ kind: "drop", parameter: "reasoning_effort", reason: `${this.#label} does not support reasoning effort` });
      return;
    }
    if (support.values !== undefined && (typeof value !== "string" || !support.values.includes(value))) {
      const shown = typeof value === "string" ? `'${value}'` : "that value";
      changes.push({ kind: "drop", parameter: "reasoning_effort", reason: `${this.#label} accepts reasoning effort ${support.values.join(", ")}, not ${shown}` });
      return;
    }
    const field = support.field;
    if (field !== undefined && !(field.length === 1 && field[0] === "reasoning_effort")) {
      changes.push({ kind: "rename", parameter: "reasoning_effort", to: field, reason: `${this.#label} reads reasoning effort from ${field.join(".")}` });
    }
  }

  /** The drops this request's policy refuses; empty when the deployment can take the request as strict mode wants. */
  violations(facts: RequestFacts, text: string): Violation[] {
    if (facts.present === undefined || (!facts.strict && !this.#policy.anyStrict)) return [];
    const violations: Violation[] = [];
    for (const change of this.#plan(facts, text)) {
      if (change.kind === "drop" && this.#policy.effective(change.parameter, facts.strict) === "strict") {
        violations.push({ parameter: change.parameter, reason: change.reason });
      }
    }
    return violations;
  }

  /** The refusal sent when strict mode leaves no deployment for the request. */
  refusal(violation: Violation): GatewayError {
    const semantic = SEMANTIC_PARAMETERS.has(violation.parameter) ? " It changes what the answer means, so" : " Strict mode is on, so";
    return new GatewayError(
      "unsupported_parameter",
      `The parameter '${violation.parameter}' is not supported by model ${this.#label}: ${violation.reason}.${semantic} the request was refused instead of being sent without it.`,
      { param: violation.parameter },
    );
  }

  /** The body for this route and what changed; PASS_THROUGH when nothing applies. */
  adapt(text: string, facts: RequestFacts, clientModel: string | undefined): AdaptedRequest {
    if (this.inert) return PASS_THROUGH;
    const changes = this.#plan(facts, text);
    const answer = this.#answer(facts);
    if (changes.length === 0 && answer === undefined) return PASS_THROUGH;
    if (changes.length === 0) return { text: undefined, adaptation: { headers: undefined, answer } };
    const applied = applyChanges(text, changes, this.#route.upstreamModel, clientModel, facts);
    const headers: Record<string, string> = {};
    if (applied.changed.length > 0) headers["x-switchyard-changed-params"] = applied.changed.join(", ");
    if (applied.dropped.length > 0) headers["x-switchyard-dropped-params"] = applied.dropped.join(", ");
    const hideUsageChunk = changes.some((change) => change.kind === "ask-usage");
    const withUsage = answer === undefined ? undefined : hideUsageChunk ? { ...answer, hideUsageChunk } : answer;
    return { text: applied.text, adaptation: { headers, answer: withUsage } };
  }

  #answer(facts: RequestFacts): AnswerPlan | undefined {
    const endpoint = this.#route.target.endpoint;
    const embeddingsBase64 = endpoint === "embeddings" && facts.encodingFormat?.toLowerCase() === "base64";
    if (this.#reasoning === undefined && !this.#readUsage && !embeddingsBase64) return undefined;
    return {
      endpoint,
      stream: facts.stream,
      hideUsageChunk: false,
      readUsage: this.#readUsage,
      usageAt: this.#route.provider.settings.kind.parameters?.usageAt,
      reasoning: this.#reasoning,
      embeddingsBase64,
    };
  }
}
