/**
 * @module providers/anthropic/convert-to-anthropic-request
 * An OpenAI chat-completions body → an Anthropic Messages body, plus the list of parameters that
 * could not be carried over (for a response header). Anything whose meaning would be lost rather
 * than merely unsupported (`n` > 1, audio input, an unknown effort) is a 400 instead.
 * @see https://platform.claude.com/docs/en/api/messages/create
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
 */
import { ANTHROPIC_DEFAULT_MAX_TOKENS, ANTHROPIC_MIN_THINKING_BUDGET } from "./anthropic-defaults.js";
import type { AnthropicMessagesRequest, AnthropicThinking } from "./anthropic-wire.js";
import { convertOpenAITools } from "./convert-openai-tools.js";
import { convertToAnthropicMessages } from "./convert-to-anthropic-messages.js";
import { DroppedParams, type DroppedParam } from "./dropped-params.js";
import { thinkingBudgetFor } from "./map-reasoning-effort.js";
import { invalidParam, parseChatRequest, type ChatRequest } from "./openai-chat-request-schema.js";
import { isRecord } from "../../util/is-record.js";

/** Choices the caller makes for a translation. */
export interface AnthropicRequestOptions {
  /** The Anthropic model id to call (the client's model after routing); defaults to the body's `model`. */
  readonly model?: string;
  /** `max_tokens` when the client set none; defaults to ANTHROPIC_DEFAULT_MAX_TOKENS. */
  readonly defaultMaxTokens?: number;
}

/** A translated request. */
export interface AnthropicRequestTranslation {
  /** The body to send to `POST /v1/messages`. */
  readonly body: AnthropicMessagesRequest;
  /** Parameters the upstream will not see, with the reason, in the order met. */
  readonly dropped: readonly DroppedParam[];
  /** The client asked for a stream. */
  readonly stream: boolean;
  /** The client asked for a usage chunk (`stream_options.include_usage`). */
  readonly includeUsage: boolean;
}

/** Top-level members the translation carries over (or refuses); all others are reported as dropped. */
const TRANSLATED_MEMBERS = new Set([
  "model",
  "messages",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "top_k",
  "stop",
  "stream",
  "stream_options",
  "n",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "reasoning_effort",
  "user",
  "safety_identifier",
]);

/** Why a known OpenAI parameter has no Anthropic counterpart, where there is more to say than "unsupported". */
const DROP_REASONS: Readonly<Record<string, string>> = {
  response_format: "Anthropic Messages has no response_format; ask for JSON in the prompt or use a tool",
  logprobs: "Anthropic does not return log probabilities",
  top_logprobs: "Anthropic does not return log probabilities",
  seed: "Anthropic has no seed parameter",
  frequency_penalty: "Anthropic has no frequency penalty",
  presence_penalty: "Anthropic has no presence penalty",
  logit_bias: "Anthropic has no logit bias",
  service_tier: "Anthropic's service_tier takes other values",
  metadata: "Anthropic's metadata holds only user_id (sent from 'user')",
};

/** Values that ask for nothing beyond OpenAI's default, so leaving them out loses nothing. */
function isNeutral(key: string, value: unknown): boolean {
  if (value === null || value === undefined || value === false) return true;
  if ((key === "frequency_penalty" || key === "presence_penalty") && value === 0) return true;
  return isRecord(value) && Object.keys(value).length === 0;
}

function reportUntranslated(body: Record<string, unknown>, dropped: DroppedParams): void {
  for (const [key, value] of Object.entries(body)) {
    if (TRANSLATED_MEMBERS.has(key) || isNeutral(key, value)) continue;
    dropped.add(key, DROP_REASONS[key] ?? "not supported by the Anthropic Messages API");
  }
}

interface TokenPlan {
  readonly maxTokens: number;
  readonly thinking?: AnthropicThinking;
}

/**
 * `max_tokens` and the thinking budget. OpenAI's `max_completion_tokens` counts reasoning tokens
 * too, like Anthropic's `max_tokens`, so a client limit is sent as is and the budget is fitted
 * below it (Anthropic: budget ≥ 1,024 and < max_tokens). Without a client limit the budget is
 * added on top of the default, so thinking never eats the answer.
 */
function planTokens(request: ChatRequest, forcesTool: boolean, defaultMaxTokens: number, dropped: DroppedParams): TokenPlan {
  const clientMax = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  if (request.max_completion_tokens != null && request.max_tokens != null && request.max_completion_tokens !== request.max_tokens) {
    dropped.add("max_tokens", "max_completion_tokens was given too and takes precedence");
  }
  const effort = request.reasoning_effort ?? undefined;
  if (effort === undefined) return { maxTokens: clientMax ?? defaultMaxTokens };
  const budget = thinkingBudgetFor(effort);
  if (budget === undefined) {
    throw invalidParam("reasoning_effort", `Unknown reasoning_effort '${effort}'; use none, minimal, low, medium, high or xhigh.`);
  }
  if (budget === null) return { maxTokens: clientMax ?? defaultMaxTokens };
  if (forcesTool) {
    dropped.add("reasoning_effort", "Anthropic does not allow extended thinking while tool_choice forces a tool call");
    return { maxTokens: clientMax ?? defaultMaxTokens };
  }
  if (clientMax === undefined) return { maxTokens: budget + defaultMaxTokens, thinking: { type: "enabled", budget_tokens: budget } };
  if (clientMax - 1 < ANTHROPIC_MIN_THINKING_BUDGET) {
    dropped.add("reasoning_effort", `a limit of ${clientMax} tokens leaves no room for Anthropic's minimum thinking budget (${ANTHROPIC_MIN_THINKING_BUDGET})`);
    return { maxTokens: clientMax };
  }
  return { maxTokens: clientMax, thinking: { type: "enabled", budget_tokens: Math.min(budget, clientMax - 1) } };
}

/**
 * Sampling parameters. With thinking on, Anthropic refuses changed `temperature` and `top_k` and
 * accepts `top_p` only within [0.95, 1] ("Thinking isn't compatible with temperature or top_k
 * modifications"), so those are left out and reported rather than failing the call.
 */
function samplingOf(request: ChatRequest, thinking: boolean, dropped: DroppedParams): Pick<AnthropicMessagesRequest, "temperature" | "top_p" | "top_k"> {
  const reason = "not allowed by Anthropic together with extended thinking (reasoning_effort)";
  const sampling: { temperature?: number; top_p?: number; top_k?: number } = {};
  const { temperature, top_p: topP, top_k: topK } = request;
  if (temperature != null) {
    if (!thinking) sampling.temperature = temperature;
    else if (temperature !== 1) dropped.add("temperature", reason);
  }
  if (topP != null) {
    if (!thinking || (topP >= 0.95 && topP <= 1)) sampling.top_p = topP;
    else dropped.add("top_p", `${reason} outside [0.95, 1]`);
  }
  if (topK != null) {
    if (!thinking) sampling.top_k = topK;
    else dropped.add("top_k", reason);
  }
  return sampling;
}

function stopSequencesOf(stop: ChatRequest["stop"]): readonly string[] | undefined {
  if (stop === null || stop === undefined) return undefined;
  const sequences = typeof stop === "string" ? [stop] : stop;
  return sequences.length === 0 ? undefined : sequences;
}

/**
 * OpenAI's end-user id (`safety_identifier`, which replaces the deprecated `user`) serves the same
 * abuse-detection purpose as Anthropic's `metadata.user_id`.
 */
function endUserOf(request: ChatRequest): Pick<AnthropicMessagesRequest, "metadata"> {
  const id = request.safety_identifier || request.user;
  return typeof id === "string" && id !== "" ? { metadata: { user_id: id } } : {};
}

/**
 * Translates a chat-completions body (already parsed JSON) for Anthropic's Messages API. Throws a
 * 400 GatewayError naming the parameter when the request cannot be expressed there.
 */
export function convertToAnthropicRequest(requestBody: unknown, options: AnthropicRequestOptions = {}): AnthropicRequestTranslation {
  const request = parseChatRequest(requestBody);
  if (request.n != null && request.n > 1) throw invalidParam("n", "Anthropic returns one choice per request; 'n' must be 1.");
  const dropped = new DroppedParams();
  reportUntranslated(request, dropped);
  const { system, messages } = convertToAnthropicMessages(request.messages, dropped);
  const { forcesTool, ...tools } = convertOpenAITools(request, dropped);
  const { maxTokens, thinking } = planTokens(request, forcesTool, options.defaultMaxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS, dropped);
  const stopSequences = stopSequencesOf(request.stop);
  const stream = request.stream === true;
  const body: AnthropicMessagesRequest = {
    model: options.model ?? request.model,
    max_tokens: maxTokens,
    messages,
    ...(system.length > 0 ? { system } : {}),
    ...(stopSequences === undefined ? {} : { stop_sequences: stopSequences }),
    ...samplingOf(request, thinking !== undefined, dropped),
    ...(stream ? { stream: true } : {}),
    ...tools,
    ...(thinking === undefined ? {} : { thinking }),
    ...endUserOf(request),
  };
  return { body, dropped: dropped.list(), stream, includeUsage: stream && request.stream_options?.include_usage === true };
}
