/**
 * @module providers/anthropic/anthropic-wire
 * Anthropic Messages API shapes: exact types for the request body Switchyard builds, and lenient
 * zod schemas for what Anthropic sends back (STYLE.md §5), so a new field or block type never
 * breaks a response.
 * @see https://platform.claude.com/docs/en/api/messages/create
 * @see https://platform.claude.com/docs/en/build-with-claude/streaming
 */
import { z } from "zod";

/** Where an image or document comes from: inline base64 or a URL Anthropic fetches itself. */
export type AnthropicSource =
  | { readonly type: "base64"; readonly media_type: string; readonly data: string }
  | { readonly type: "url"; readonly url: string };

/** A text block. */
export interface AnthropicTextBlock {
  readonly type: "text";
  readonly text: string;
}

/** An image block (`image/jpeg`, `image/png`, `image/gif`, `image/webp`). */
export interface AnthropicImageBlock {
  readonly type: "image";
  readonly source: AnthropicSource;
}

/** A PDF document block. */
export interface AnthropicDocumentBlock {
  readonly type: "document";
  readonly source: AnthropicSource;
}

/** A tool call the assistant made earlier in the conversation. */
export interface AnthropicToolUseBlock {
  readonly type: "tool_use";
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

/** The result of a tool call, sent in a user turn. */
export interface AnthropicToolResultBlock {
  readonly type: "tool_result";
  readonly tool_use_id: string;
  readonly content?: string | readonly (AnthropicTextBlock | AnthropicImageBlock)[];
}

/** Any block Switchyard puts in a request message. */
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock;

/** One turn. Anthropic has no system role: system text goes in the top-level `system`. */
export interface AnthropicMessage {
  readonly role: "user" | "assistant";
  readonly content: string | readonly AnthropicContentBlock[];
}

/** A client tool. */
export interface AnthropicTool {
  readonly name: string;
  readonly description?: string;
  readonly input_schema: unknown;
}

/** `tool_choice`; `none` has no parallel flag. */
export type AnthropicToolChoice =
  | { readonly type: "auto" | "any"; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: "tool"; readonly name: string; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: "none" };

/** Extended thinking with a token budget (at least 1,024 and below `max_tokens`). */
export interface AnthropicThinking {
  readonly type: "enabled";
  readonly budget_tokens: number;
}

/** The body of `POST /v1/messages` as Switchyard builds it. */
export interface AnthropicMessagesRequest {
  readonly model: string;
  readonly max_tokens: number;
  readonly messages: readonly AnthropicMessage[];
  readonly system?: readonly AnthropicTextBlock[];
  readonly stop_sequences?: readonly string[];
  readonly temperature?: number;
  readonly top_p?: number;
  readonly top_k?: number;
  readonly stream?: boolean;
  readonly tools?: readonly AnthropicTool[];
  readonly tool_choice?: AnthropicToolChoice;
  readonly thinking?: AnthropicThinking;
  readonly metadata?: { readonly user_id: string };
}

/**
 * Token counts. `input_tokens` excludes cached input: cache reads and writes are counted apart
 * (prompt caching docs). Every field is optional because the thinking example on the streaming
 * page sends a `message_start` and a `message_delta` without `usage`.
 */
export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});

/** Anthropic's usage as parsed. */
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/**
 * A content block of a response. One lenient shape for every `type`, since Anthropic adds block
 * types (`server_tool_use`, `web_search_tool_result`, `redacted_thinking`, `fallback`, …) that a
 * chat completion has no place for and that are skipped.
 */
export const anthropicResponseBlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.string().nullish(),
  id: z.string().nullish(),
  name: z.string().nullish(),
  input: z.unknown().optional(),
});

/** A response block as parsed. */
export type AnthropicResponseBlock = z.infer<typeof anthropicResponseBlockSchema>;

/** A Message: the non-streaming response, and the `message` of a stream's `message_start`. */
export const anthropicMessageSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  content: z.array(anthropicResponseBlockSchema).nullish(),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema.nullish(),
});

/** A Message as parsed. */
export type AnthropicMessageResponse = z.infer<typeof anthropicMessageSchema>;

/** The `error` object of an error body or an in-band `error` event. */
export const anthropicErrorObjectSchema = z.looseObject({
  type: z.string().nullish(),
  // Documented as a string; kept open so an odd value is rendered, not rejected.
  message: z.unknown().optional(),
});

/**
 * Any stream event. The fields of every documented event type sit side by side; `type` says
 * which apply. Unknown event types pass the schema and are ignored, as the versioning policy asks.
 */
export const anthropicStreamEventSchema = z.looseObject({
  type: z.string(),
  message: anthropicMessageSchema.nullish(),
  index: z.number().nullish(),
  content_block: anthropicResponseBlockSchema.nullish(),
  delta: z
    .looseObject({
      type: z.string().nullish(),
      text: z.string().nullish(),
      partial_json: z.string().nullish(),
      thinking: z.string().nullish(),
      stop_reason: z.string().nullish(),
    })
    .nullish(),
  usage: anthropicUsageSchema.nullish(),
  error: anthropicErrorObjectSchema.nullish(),
});

/** A stream event as parsed. */
export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>;
