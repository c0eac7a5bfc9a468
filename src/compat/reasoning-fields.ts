/**
 * @module compat/reasoning-fields
 * One field for reasoning text. Servers put it in `reasoning` (Ollama, current vLLM, Groq,
 * OpenRouter) or `reasoning_content` (DeepSeek, llama.cpp, older vLLM), and vLLM's transitional
 * versions send the same text in both, which clients reading both show twice. The answer gets the
 * configured field only, in the place the upstream put it (key order kept).
 */
import type { ReasoningField } from "../providers/parameter-rules.js";

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The message or delta with its reasoning in `target` only; undefined when nothing changes. With no
 * target (`as-sent`) the upstream's field is kept, and of two, `reasoning` (the current name).
 */
export function normalizeReasoning(holder: JsonRecord, target: ReasoningField | undefined): JsonRecord | undefined {
  const hasReasoning = typeof holder["reasoning"] === "string";
  const hasContent = typeof holder["reasoning_content"] === "string";
  if (!hasReasoning && !hasContent) return undefined;
  const keep: ReasoningField = target ?? (hasReasoning ? "reasoning" : "reasoning_content");
  const other: ReasoningField = keep === "reasoning" ? "reasoning_content" : "reasoning";
  if (!(other in holder)) return undefined;
  const text = typeof holder[keep] === "string" ? holder[keep] : holder[other];
  const result: JsonRecord = {};
  for (const key of Object.keys(holder)) {
    if (key === other) {
      if (!(keep in holder)) result[keep] = text;
    } else result[key] = key === keep ? text : holder[key];
  }
  return result;
}

/** Normalises `choices[].delta` (stream chunks) and `choices[].message` (whole answers); true when changed. */
export function normalizeChoices(answer: JsonRecord, target: ReasoningField | undefined): boolean {
  const choices = answer["choices"];
  if (!Array.isArray(choices)) return false;
  let changed = false;
  for (const choice of choices) {
    if (!isRecord(choice)) continue;
    for (const member of ["delta", "message"] as const) {
      const holder = choice[member];
      if (!isRecord(holder)) continue;
      const normalized = normalizeReasoning(holder, target);
      if (normalized !== undefined) {
        choice[member] = normalized;
        changed = true;
      }
    }
  }
  return changed;
}
