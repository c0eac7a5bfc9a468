/**
 * @module config/config-schema
 * The config file's one schema. It validates files, types the loaded config, and generates the
 * published JSON Schema (`schema/switchyard.config.schema.json`) that editors use for completion.
 * Strict on purpose: a misspelt key is an error naming its path, never silently ignored.
 */
import { z } from "zod";
import { PROVIDER_KIND_IDS } from "../providers/registry.js";

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .describe("An http(s) URL, usually ending in the API version path such as /v1.");

const secretReference = z
  .string()
  .min(1)
  .describe("The API key itself, or `env:VARIABLE` to read it from an environment variable when the config loads.");

const positiveMs = z.number().int().positive();

/** Upstream timeouts; any left out keep their defaults. */
export const timeoutsSchema = z
  .strictObject({
    connectMs: positiveMs.optional().describe("TCP and TLS handshake."),
    firstByteMs: positiveMs.optional().describe("Request sent until response headers arrive (model loading happens here)."),
    idleMs: positiveMs.optional().describe("Longest silence between two response chunks."),
    totalMs: positiveMs.optional().describe("Whole exchange, including a long streamed answer."),
  })
  .describe("Timeouts for calls to upstream servers, in milliseconds.");

const serviceSchema = z
  .strictObject({
    baseUrl: httpUrl.optional(),
    apiKey: secretReference.optional(),
  })
  .describe("A separate server (and key) for one service.");

/** Provider names become model-id prefixes, so they may not contain `/`. */
export const PROVIDER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "must be a valid HTTP header name");

/** One provider (credential) declared in the config file. */
export const providerConfigSchema = z
  .strictObject({
    kind: z.enum(PROVIDER_KIND_IDS).describe("Provider kind; decides defaults, auth and supported endpoints."),
    baseUrl: httpUrl.optional(),
    apiKey: secretReference.optional(),
    services: z
      .strictObject({
        chat: serviceSchema.optional(),
        embedding: serviceSchema.optional(),
        tts: serviceSchema.optional(),
        stt: serviceSchema.optional(),
      })
      .optional()
      .describe("Per-service servers: chat (and completions), embedding, tts (speech), stt (transcriptions)."),
    headers: z
      .record(headerName, z.string())
      .optional()
      .describe("Extra headers sent with every request, e.g. OpenRouter's HTTP-Referer and X-Title."),
    enabled: z.boolean().optional().describe("Set false to keep the entry but route nothing to it."),
    timeouts: timeoutsSchema.optional(),
  })
  .describe("A provider. Its name in `providers` is the model-id prefix that routes to it.");

const capability = z.enum(["tools", "vision", "json_schema", "streaming", "reasoning"]);

/** Metadata for one model id (`<prefix>/<model>`). */
export const modelConfigSchema = z
  .strictObject({
    upstreamModel: z.string().min(1).optional().describe("Name sent upstream, when it differs from the part after the prefix."),
    displayName: z.string().min(1).optional(),
    type: z.enum(["chat", "embedding", "tts", "stt"]).optional(),
    contextWindow: z.number().int().positive().optional(),
    capabilities: z.array(capability).optional(),
    pricing: z
      .strictObject({
        inputPerMillion: z.number().nonnegative().describe("Price per million input tokens."),
        outputPerMillion: z.number().nonnegative().describe("Price per million output tokens."),
      })
      .optional(),
  })
  .describe("Metadata shown in /v1/models and used for routing.");

/** The whole config file. */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path or URL of this JSON Schema, for editor completion."),
    server: z
      .strictObject({
        host: z.string().min(1).optional(),
        port: z.number().int().min(0).max(65_535).optional(),
        maxBodyBytes: z.number().int().positive().optional().describe("Largest JSON request body."),
        maxUploadBytes: z.number().int().positive().optional().describe("Largest multipart upload (transcriptions)."),
        shutdownTimeoutMs: z.number().int().nonnegative().optional().describe("Grace period for in-flight requests on shutdown."),
      })
      .optional(),
    timeouts: timeoutsSchema.optional(),
    providers: z
      .record(z.string().regex(PROVIDER_NAME_PATTERN, "provider names are letters, digits, '.', '_' or '-' (no '/')"), providerConfigSchema)
      .optional(),
    models: z
      .record(z.string().regex(/^[^/]+\/.+$/, "model ids are '<prefix>/<model>'"), modelConfigSchema)
      .optional(),
  })
  .describe("Switchyard configuration.");

/** A validated config file. */
export type SwitchyardConfig = z.infer<typeof configSchema>;
/** One validated provider entry. */
export type ProviderConfig = z.infer<typeof providerConfigSchema>;
/** One validated model entry. */
export type ModelConfig = z.infer<typeof modelConfigSchema>;
/** Timeout overrides. */
export type TimeoutsConfig = z.infer<typeof timeoutsSchema>;

/** The JSON Schema published for editors, generated from {@link configSchema}. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { target: "draft-2020-12" }),
    $id: "https://switchyard.dev/schema/switchyard.config.schema.json",
    title: "Switchyard configuration",
  };
}
