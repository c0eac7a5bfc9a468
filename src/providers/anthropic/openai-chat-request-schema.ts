/**
 * @module providers/anthropic/openai-chat-request-schema
 * The parts of an OpenAI chat-completions body the Anthropic translation reads. Unknown members
 * are allowed here (`looseObject`) so they can be reported as dropped, not refused; `null` counts
 * as absent because clients send `"stop": null` and the like. A body that does not fit is a 400
 * naming the parameter.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
import { z } from "zod";
import { GatewayError } from "../../errors/gateway-error.js";

/** A content part; each `type` is checked where it is converted. */
const contentPart = z.looseObject({ type: z.string() });

/** Message content: a string, an array of parts, or nothing (assistant turns with tool calls). */
const content = z.union([z.string(), z.array(contentPart)]).nullish();

const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal("function").nullish(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

const systemMessage = z.looseObject({ role: z.literal("system"), content });
const developerMessage = z.looseObject({ role: z.literal("developer"), content });
const userMessage = z.looseObject({ role: z.literal("user"), content });
const assistantMessage = z.looseObject({ role: z.literal("assistant"), content, tool_calls: z.array(toolCall).nullish() });
const toolMessage = z.looseObject({ role: z.literal("tool"), tool_call_id: z.string(), content });

/** One message of the conversation. */
export const chatMessageSchema = z.discriminatedUnion("role", [systemMessage, developerMessage, userMessage, assistantMessage, toolMessage]);

/** A message as parsed. */
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A content part as parsed. */
export type ChatContentPart = z.infer<typeof contentPart>;

const functionTool = z.looseObject({
  type: z.string(),
  function: z
    .looseObject({
      name: z.string(),
      description: z.string().nullish(),
      parameters: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    })
    .nullish(),
});

/** A tool definition as parsed (its `type` is checked where it is converted). */
export type ChatTool = z.infer<typeof functionTool>;

const namedToolChoice = z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) });

/** `tool_choice`: a mode, a named function, or another object type that is refused later. */
const toolChoice = z.union([z.enum(["auto", "none", "required"]), namedToolChoice, z.looseObject({ type: z.string() })]);

/** A tool choice as parsed. */
export type ChatToolChoice = z.infer<typeof toolChoice>;

const positiveInteger = z.number().int().positive();

/** The request members the translation reads; everything else is reported as dropped. */
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  max_tokens: positiveInteger.nullish(),
  max_completion_tokens: positiveInteger.nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  // Not an OpenAI parameter, but vLLM-style clients send it and Anthropic has the same one.
  top_k: positiveInteger.nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  n: positiveInteger.nullish(),
  tools: z.array(functionTool).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  reasoning_effort: z.string().nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
});

/** A request as parsed. */
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** `messages.2.content` → `messages[2].content`, the way OpenAI names parameters in errors. */
export function paramPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) text += typeof part === "number" ? `[${part}]` : `${text === "" ? "" : "."}${String(part)}`;
  return text;
}

/** An invalid-request error naming the parameter, for anything the translation cannot carry over. */
export function invalidParam(param: string, message: string): GatewayError {
  return new GatewayError("invalid_request", message, { param });
}

/** Parses the body, or throws a 400 naming the first parameter at fault. */
export function parseChatRequest(body: unknown): ChatRequest {
  const result = chatRequestSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue === undefined ? "body" : paramPath(issue.path) || "body";
  throw invalidParam(param, `Invalid '${param}': ${issue?.message ?? "not a chat completion request"}.`);
}
