/**
 * @module providers/anthropic/anthropic-defaults
 * The numbers the Anthropic translation chooses, each with its reason. Kept beside the translation
 * until it is wired into the request path; then they belong in src/defaults.ts.
 */

/**
 * `max_tokens` sent when the client set neither `max_tokens` nor `max_completion_tokens`.
 * Anthropic requires the field; OpenAI clients usually leave it out and expect "as long as the
 * model likes". 4,096 is the largest output every current Claude model accepts (the Claude 3 Haiku
 * limit), so the default never causes a 400 on its own.
 */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4_096;

/**
 * The smallest thinking budget Anthropic accepts ("Minimum 1024 and must be less than max_tokens").
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
 */
export const ANTHROPIC_MIN_THINKING_BUDGET = 1_024;
