/**
 * @module providers/anthropic/convert-openai-content
 * OpenAI message content parts → Anthropic content blocks: text, images (data URLs become base64
 * sources, http(s) URLs become URL sources) and PDF files. Parts Anthropic cannot take (audio,
 * uploaded-file ids) are a 400 naming the part, never silently left out.
 * @see https://platform.claude.com/docs/en/build-with-claude/vision
 * @see https://platform.claude.com/docs/en/build-with-claude/pdf-support
 */
import type { AnthropicContentBlock, AnthropicSource, AnthropicTextBlock } from "./anthropic-wire.js";
import type { DroppedParams } from "./dropped-params.js";
import { invalidParam, type ChatContentPart } from "./openai-chat-request-schema.js";
import { isRecord } from "../../util/is-record.js";

const BASE64_MARKER = ";base64";

/**
 * Reads an image or file reference: `data:<type>;base64,<data>` becomes a base64 source (Anthropic
 * needs the media type), and an http(s) URL a URL source that Anthropic fetches itself.
 */
export function convertSourceUrl(url: string, param: string): AnthropicSource {
  if (url.startsWith("data:")) {
    const comma = url.indexOf(",");
    const header = comma === -1 ? "" : url.slice(5, comma);
    if (comma === -1 || !header.endsWith(BASE64_MARKER)) {
      throw invalidParam(param, `'${param}' must be a base64 data URL (data:<media type>;base64,…) or an http(s) URL.`);
    }
    const mediaType = header.slice(0, header.indexOf(";"));
    if (mediaType === "") throw invalidParam(param, `'${param}' is a data URL without a media type; Anthropic needs one (e.g. data:image/png;base64,…).`);
    return { type: "base64", media_type: mediaType, data: url.slice(comma + 1) };
  }
  if (url.startsWith("https://") || url.startsWith("http://")) return { type: "url", url };
  throw invalidParam(param, `'${param}' must be a base64 data URL or an http(s) URL.`);
}

function stringField(part: ChatContentPart, key: string, param: string): string {
  const value = part[key];
  if (typeof value !== "string") throw invalidParam(`${param}.${key}`, `'${param}.${key}' must be a string.`);
  return value;
}

/** `image_url` is `{url, detail?}` in the spec; some clients send the URL as a bare string. */
function imageUrlOf(part: ChatContentPart, param: string): string {
  const value = part["image_url"];
  if (typeof value === "string") return value;
  if (isRecord(value) && typeof value["url"] === "string") return value["url"];
  throw invalidParam(`${param}.image_url`, `'${param}.image_url.url' must be a string.`);
}

function convertFile(part: ChatContentPart, param: string): AnthropicContentBlock {
  const file = part["file"];
  if (isRecord(file) && typeof file["file_data"] === "string") {
    return { type: "document", source: convertSourceUrl(file["file_data"], `${param}.file.file_data`) };
  }
  // OpenAI file ids live in OpenAI's storage; Anthropic cannot read them.
  throw invalidParam(`${param}.file`, `'${param}.file' needs inline 'file_data'; uploaded file ids cannot be sent to Anthropic.`);
}

/** Converts one part of a user message. */
function convertUserPart(part: ChatContentPart, param: string, dropped: DroppedParams): AnthropicContentBlock {
  switch (part.type) {
    case "text":
      return { type: "text", text: stringField(part, "text", param) };
    case "image_url": {
      const detail = isRecord(part["image_url"]) ? part["image_url"]["detail"] : undefined;
      if (typeof detail === "string" && detail !== "auto") dropped.add(`${param}.image_url.detail`, "Anthropic picks image resolution itself");
      return { type: "image", source: convertSourceUrl(imageUrlOf(part, param), `${param}.image_url.url`) };
    }
    case "file":
      return convertFile(part, param);
    default:
      throw invalidParam(`${param}.type`, `Content part type '${part.type}' in '${param}' cannot be sent to Anthropic.`);
  }
}

/** User content: a string stays a string; parts become blocks. */
export function convertUserContent(content: string | readonly ChatContentPart[], param: string, dropped: DroppedParams): string | AnthropicContentBlock[] {
  if (typeof content === "string") return content;
  return content.map((part, index) => convertUserPart(part, `${param}[${index}]`, dropped));
}

/**
 * Text-only content (system, developer and tool messages): a string, or text parts. An assistant's
 * `refusal` part is text it said, so it counts too.
 */
export function textBlocksOf(content: string | readonly ChatContentPart[], param: string): AnthropicTextBlock[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  const blocks: AnthropicTextBlock[] = [];
  content.forEach((part, index) => {
    const partParam = `${param}[${index}]`;
    if (part.type !== "text" && part.type !== "refusal") {
      throw invalidParam(`${partParam}.type`, `'${partParam}' must be a text part; '${part.type}' cannot go there.`);
    }
    const text = stringField(part, part.type, partParam);
    if (text !== "") blocks.push({ type: "text", text });
  });
  return blocks;
}
