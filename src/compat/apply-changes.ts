/**
 * @module compat/apply-changes
 * Carries out the changes a route adapter planned: renames and moves, drops, conversions, replayed
 * reasoning stripped from history, and the request for stream usage. Asking for usage alone is
 * spliced into the text; anything else parses the body, changes it and serialises it again (only
 * requests a rule applies to pay for that). Every change is named for the response headers.
 */
import { insertModelField, replaceModelField } from "../gateway/replace-model-field.js";
import type { ParameterConverter, ReasoningField } from "../providers/parameter-rules.js";
import { convertParameter } from "./convert-parameter.js";
import type { RequestFacts } from "./request-facts.js";

/** One planned change. */
export type Change =
  /** Renames (`to` of one key) and moves into the upstream's own nested field. */
  | { readonly kind: "rename"; readonly parameter: string; readonly to: readonly [string, ...string[]]; readonly reason: string }
  | { readonly kind: "drop"; readonly parameter: string; readonly reason: string }
  | { readonly kind: "convert"; readonly parameter: string; readonly converter: ParameterConverter; readonly reason: string }
  | { readonly kind: "strip-history"; readonly field: ReasoningField; readonly reason: string }
  /** `stream_options.include_usage: true`, for usage the client did not ask for. */
  | { readonly kind: "ask-usage" };

/** The changed body and what was changed or dropped, as header entries. */
export interface AppliedChanges {
  readonly text: string;
  readonly changed: readonly string[];
  readonly dropped: readonly string[];
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const ASK_USAGE_MEMBER = '"stream_options":{"include_usage":true}';

function withModel(text: string, upstreamModel: string, clientModel: string | undefined): string {
  if (clientModel === undefined) return insertModelField(text, upstreamModel);
  return upstreamModel === clientModel ? text : replaceModelField(text, upstreamModel);
}

/** Moves `value` to `path`; false when the client already set that field (its own value wins). */
function place(body: JsonRecord, path: readonly string[], value: unknown): boolean {
  let node: JsonRecord = body;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (!isRecord(next)) return false;
    node = node[key] as JsonRecord;
  }
  const last = path[path.length - 1] as string;
  if (last in node) return false;
  node[last] = value;
  return true;
}

function stripHistory(body: JsonRecord, field: string): boolean {
  const messages = body["messages"];
  if (!Array.isArray(messages)) return false;
  let stripped = false;
  for (const message of messages) {
    if (isRecord(message) && field in message) {
      delete message[field];
      stripped = true;
    }
  }
  return stripped;
}

/** Applies `changes` to the request text; the model value is set to `upstreamModel` as on the pass-through path. */
export function applyChanges(text: string, changes: readonly Change[], upstreamModel: string, clientModel: string | undefined, facts: RequestFacts): AppliedChanges {
  const only = changes.length === 1 ? changes[0] : undefined;
  if (only?.kind === "ask-usage" && facts.present?.has("stream_options") !== true) {
    // The common case once usage is recorded: one member spliced in after the opening brace.
    const open = text.indexOf("{");
    const rest = text.slice(open + 1);
    const spliced = `${text.slice(0, open + 1)}${ASK_USAGE_MEMBER}${rest.trimStart().startsWith("}") ? "" : ","}${rest}`;
    return { text: withModel(spliced, upstreamModel, clientModel), changed: ["stream_options.include_usage"], dropped: [] };
  }
  let body = JSON.parse(text) as JsonRecord;
  const changed: string[] = [];
  const dropped: string[] = [];
  for (const change of changes) {
    switch (change.kind) {
      case "rename": {
        if (!(change.parameter in body)) break;
        const value = body[change.parameter];
        delete body[change.parameter];
        if (place(body, change.to, value)) changed.push(`${change.parameter}->${change.to.join(".")}`);
        else dropped.push(change.parameter);
        break;
      }
      case "drop":
        if (change.parameter in body) {
          delete body[change.parameter];
          dropped.push(change.parameter);
        }
        break;
      case "convert": {
        const value = convertParameter(change.converter, body[change.parameter]);
        if (value === undefined) {
          delete body[change.parameter];
          dropped.push(change.parameter);
        } else if (value !== body[change.parameter]) {
          body[change.parameter] = value;
          changed.push(change.parameter);
        }
        break;
      }
      case "strip-history":
        if (stripHistory(body, change.field)) dropped.push(`messages[].${change.field}`);
        break;
      case "ask-usage": {
        const options = body["stream_options"];
        if (isRecord(options)) options["include_usage"] = true;
        else body["stream_options"] = { include_usage: true };
        changed.push("stream_options.include_usage");
        break;
      }
    }
  }
  if ("model" in body) body["model"] = upstreamModel;
  else body = { model: upstreamModel, ...body };
  return { text: JSON.stringify(body), changed, dropped };
}
