/**
 * @module compat/convert-parameter
 * Named converters that rewrite a parameter's value into an upstream's own shape (the `convert`
 * action of providers/parameter-rules.ts). Each returns the new value, or `undefined` when the
 * value has no equivalent upstream and the parameter must be dropped.
 */
import type { ParameterConverter } from "../providers/parameter-rules.js";

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * OpenAI `response_format` → TGI's adjacently tagged grammar (`{type, value}`). `json_object`
 * becomes a JSON grammar for any object, `json_schema` carries its schema (and name) in `value`,
 * `text` is TGI's default and has no grammar at all. A value already in TGI's form passes.
 * @see https://github.com/huggingface/text-generation-inference/blob/main/router/src/lib.rs (GrammarType)
 */
function tgiResponseFormat(value: unknown): unknown {
  if (!isRecord(value)) return value;
  if ("value" in value) return value;
  switch (value["type"]) {
    case "text":
      return undefined;
    case "json_object":
      return { type: "json_object", value: { type: "object" } };
    case "json_schema": {
      const format = isRecord(value["json_schema"]) ? value["json_schema"] : {};
      const name = typeof format["name"] === "string" ? { name: format["name"] } : {};
      return { type: "json_schema", value: { ...name, schema: format["schema"] ?? { type: "object" } } };
    }
    default:
      return value;
  }
}

const CONVERTERS: Readonly<Record<ParameterConverter, (value: unknown) => unknown>> = {
  "tgi-response-format": tgiResponseFormat,
};

/** Applies a named converter. */
export function convertParameter(converter: ParameterConverter, value: unknown): unknown {
  return CONVERTERS[converter](value);
}
