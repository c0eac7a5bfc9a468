/**
 * @module providers/anthropic/map-reasoning-effort
 * OpenAI's `reasoning_effort` as an Anthropic extended-thinking budget.
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-reasoning_effort
 */
import { ANTHROPIC_MIN_THINKING_BUDGET } from "./anthropic-defaults.js";

/**
 * `budget_tokens` per effort. `minimal` and `low` sit at Anthropic's minimum, where the docs
 * suggest starting; each step up doubles or quadruples the budget, and `xhigh` stays at 32,000,
 * above which Anthropic advises batch processing because long thinking runs into timeouts.
 * `none` turns thinking off, which is what omitting `thinking` does.
 */
export const REASONING_EFFORT_BUDGETS: Readonly<Record<string, number | null>> = {
  none: null,
  minimal: ANTHROPIC_MIN_THINKING_BUDGET,
  low: 2_048,
  medium: 8_192,
  high: 16_384,
  xhigh: 32_000,
};

/**
 * The thinking budget for an effort: a number, `null` for "no thinking", or undefined when the
 * effort is not one OpenAI defines.
 */
export function thinkingBudgetFor(effort: string): number | null | undefined {
  return Object.hasOwn(REASONING_EFFORT_BUDGETS, effort) ? REASONING_EFFORT_BUDGETS[effort] : undefined;
}
