/**
 * @module credentials/credential-schemas
 * What the admin API and CLI accept for credentials, models and defaults: strict schemas, so a
 * misspelt field is an error naming it, never silently ignored (STYLE.md §5).
 */
import { z } from "zod";
import { PROVIDER_NAME_PATTERN } from "../config/config-schema.js";
import { PROVIDER_KIND_IDS } from "../providers/registry.js";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });
const services = ["chat", "embedding", "tts", "stt"] as const;
const serviceRecord = <T extends z.ZodType>(value: T) => z.partialRecord(z.enum(services), value);
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "must be a valid HTTP header name");
const modelType = z.enum(["chat", "embedding", "tts", "stt"]);

/** Body of `POST /api/credentials`. */
export const createCredentialSchema = z.strictObject({
  name: z.string().regex(PROVIDER_NAME_PATTERN, "names are letters, digits, '.', '_' or '-' (they become the model-id prefix, so no '/')"),
  kind: z.enum(PROVIDER_KIND_IDS),
  base_url: httpUrl.nullish(),
  api_key: z.string().min(1).nullish(),
  service_urls: serviceRecord(httpUrl).optional(),
  service_keys: serviceRecord(z.string().min(1)).optional(),
  headers: z.record(headerName, z.string()).optional(),
  provider_fields: z.record(z.string(), z.unknown()).optional(),
  enabled: z.boolean().optional(),
  priority: z.number().int().min(0).max(1_000_000).optional(),
});

/** Body of `PATCH /api/credentials/{id}`; `null` clears a field. */
export const updateCredentialSchema = z.strictObject({
  name: createCredentialSchema.shape.name.optional(),
  base_url: httpUrl.nullish(),
  api_key: z.string().min(1).nullish(),
  service_urls: serviceRecord(httpUrl.nullable()).optional(),
  service_keys: serviceRecord(z.string().min(1).nullable()).optional(),
  headers: z.record(headerName, z.string()).nullish(),
  provider_fields: z.record(z.string(), z.unknown()).optional(),
  enabled: z.boolean().optional(),
  priority: z.number().int().min(0).max(1_000_000).optional(),
  /** The version the client read; when given, a concurrent change makes this update fail (409). */
  version: z.number().int().positive().optional(),
});

const customModel = z.strictObject({
  name: z.string().min(1).max(512),
  upstream_model: z.string().min(1).max(512).optional(),
  display_name: z.string().min(1).max(200).optional(),
  type: modelType.optional(),
  context_window: z.number().int().positive().optional(),
});

/** Body of `POST /api/credentials/{id}/register`: all discovered models, a selection, or custom names. */
export const registerModelsSchema = z
  .strictObject({
    all: z.boolean().optional(),
    models: z.array(z.string().min(1)).max(10_000).optional(),
    custom: z.array(customModel).max(1_000).optional(),
  })
  .refine((value) => value.all === true || (value.models?.length ?? 0) > 0 || (value.custom?.length ?? 0) > 0, {
    message: "say what to register: 'all': true, a 'models' list, or 'custom' entries",
  });

/** Body of `POST /api/models` (one custom model on a credential). */
export const createModelSchema = customModel.extend({ credential: z.string().min(1) });

/** Body of `PATCH /api/models/{id}`. */
export const updateModelSchema = z.strictObject({
  upstream_model: z.string().min(1).max(512).optional(),
  display_name: z.string().min(1).max(200).nullish(),
  type: modelType.optional(),
  context_window: z.number().int().positive().nullish(),
  capabilities: z.array(z.enum(["tools", "vision", "json_schema", "streaming", "reasoning"])).optional(),
  input_price_per_million: z.number().nonnegative().nullish(),
  output_price_per_million: z.number().nonnegative().nullish(),
});

/** Body of `PUT /api/defaults/{type}`. */
export const setDefaultSchema = z.strictObject({ model: z.string().min(1).nullable() });

/** Model types, for path parameters. */
export const modelTypeSchema = modelType;

export type CreateCredentialInput = z.infer<typeof createCredentialSchema>;
export type UpdateCredentialInput = z.infer<typeof updateCredentialSchema>;
export type RegisterModelsInput = z.infer<typeof registerModelsSchema>;
export type CreateModelInput = z.infer<typeof createModelSchema>;
export type UpdateModelInput = z.infer<typeof updateModelSchema>;
