/**
 * @module config/config-schema
 * The config file's one schema. It validates files, types the loaded config, and generates the
 * published JSON Schema (`schema/switchyard.config.schema.json`) that editors use for completion.
 * Strict on purpose: a misspelt key is an error naming its path, never silently ignored.
 */
import { z } from "zod";
import { ROUTE_NAME_PATTERN } from "./name-patterns.js";
import { PROVIDER_KIND_IDS } from "../providers/registry.js";
import { parseExactOrigin } from "../security/outbound-policy.js";

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

/** Requests and tokens per minute; an absent limit is not enforced. */
export const rateLimitsSchema = z
  .strictObject({
    rpm: z.number().int().positive().optional().describe("Requests per minute."),
    tpm: z.number().int().positive().optional().describe("Tokens per minute (estimated from the request before the call)."),
  })
  .describe("Rate limits, enforced in this process.");

const serviceSchema = z
  .strictObject({
    baseUrl: httpUrl.optional(),
    apiKey: secretReference.optional(),
  })
  .describe("A separate server (and key) for one service.");

const parameterPolicy = z.enum(["pass", "drop", "strict"]);

/** A policy for every parameter, or per parameter name (`*` for the rest): compat/parameter-policy.ts. */
export const parameterPolicySchema = z
  .union([
    parameterPolicy,
    z.record(z.string().regex(/^(\*|[a-z][a-z0-9_]*)$/, "parameter names are lower-case JSON keys, or '*' for the rest"), parameterPolicy),
  ])
  .describe("What happens when a provider's parameter rules would drop a parameter: drop it and say so in x-switchyard-dropped-params (default), pass it as sent, or refuse the request with 400 (strict).");

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
    parameterPolicy: parameterPolicySchema.optional().describe("This provider's parameter policy, over `parameters.policy`."),
    api: z
      .enum(["native", "openai-compatible"])
      .optional()
      .describe("For kind anthropic: call the native Messages API (default) or Anthropic's OpenAI SDK compatibility endpoint. Other kinds refuse it."),
    azure: z
      .strictObject({
        apiVersion: z.string().min(1).optional().describe("A dated api-version (2024-10-21, …-preview): deployments go in the path. 'preview' or 'latest': the v1 API with that api-version."),
        deployments: z.record(z.string().min(1), z.string().min(1)).optional().describe("Client model name → Azure deployment name; a model without an entry is called as a deployment of its own name."),
      })
      .optional()
      .describe("For kind azure: how deployments are called."),
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
    timeouts: timeoutsSchema.optional().describe("Timeouts for this model's calls, over its provider's."),
    limits: rateLimitsSchema.optional().describe("Rate limits of this deployment (this model on this provider)."),
    fallbacks: z
      .array(z.string().min(1))
      .optional()
      .describe("Model ids or route names tried in order when this model fails or is rate-limited."),
  })
  .describe("Metadata shown in /v1/models and used for routing.");

/** The routing strategies a route may use. */
export const STRATEGY_NAMES = ["priority", "weighted", "round-robin", "least-latency", "least-busy"] as const;

/** One deployment of a route: a model id (`<provider>/<model>`), with its share and rank. */
export const routeTargetSchema = z.union([
  z.string().regex(/^[^/]+\/.+$/, "targets are model ids '<provider>/<model>'"),
  z.strictObject({
    model: z.string().regex(/^[^/]+\/.+$/, "targets are model ids '<provider>/<model>'"),
    weight: z.number().nonnegative().optional().describe("Share of traffic under the weighted strategy (default 1)."),
    priority: z.number().int().optional().describe("Lower goes first under the priority strategy (default: list order)."),
  }),
]);

export { ROUTE_NAME_PATTERN };

/** A named route (alias or tier): deployments, the strategy that orders them, and fallbacks. */
export const routeConfigSchema = z
  .strictObject({
    strategy: z.enum(STRATEGY_NAMES).optional().describe("How the targets are ordered for each request (default priority)."),
    targets: z.array(routeTargetSchema).min(1).describe("The deployments (model ids) this route sends to."),
    fallbacks: z
      .array(z.string().min(1))
      .optional()
      .describe("Model ids or other route names tried in order once every target failed or was skipped."),
    timeouts: timeoutsSchema.optional().describe("Timeouts for calls made through this route, over each target's."),
    limits: rateLimitsSchema.optional().describe("Rate limits of the route as a whole."),
    description: z.string().optional(),
  })
  .describe("A model name clients can send, resolved to an ordered list of deployments.");

/** Retry, breaker and budget settings of the attempt loop. */
export const routingSettingsSchema = z
  .strictObject({
    maxAttempts: z.number().int().min(1).max(20).optional().describe("Attempts per request across deployments, retries included (default 3)."),
    retryBaseDelayMs: positiveMs.optional().describe("First backoff step before jitter (default 500)."),
    retryMaxDelayMs: positiveMs.optional().describe("Largest backoff step (default 8000)."),
    retryAfterCapMs: positiveMs.optional().describe("Longest Retry-After honoured (default 60000)."),
    breaker: z
      .strictObject({
        consecutiveFailures: z.number().int().min(1).optional(),
        failureRate: z.number().gt(0).max(1).optional(),
        windowCalls: z.number().int().min(1).optional(),
        minCalls: z.number().int().min(1).optional(),
        coolDownMs: positiveMs.optional(),
        maxCoolDownMs: positiveMs.optional(),
      })
      .optional()
      .describe("Circuit breaker thresholds, per deployment."),
  })
  .describe("How failed calls are retried and failing deployments set aside.");

const ORIGIN_MESSAGE = "must be an exact http(s) origin such as http://10.0.0.5:8000 (no path, query or credentials)";

/** Security settings: the outbound URL policy (docs/security.md#outbound-url-policy). */
export const securitySchema = z
  .strictObject({
    outbound: z
      .strictObject({
        mode: z
          .enum(["local", "strict"])
          .optional()
          .describe("local (default): loopback and private networks allowed; strict: public addresses only, plus allowOrigins. SWITCHYARD_OUTBOUND_MODE wins."),
        allowOrigins: z
          .array(
            z
              .string()
              // The pattern is for editors (JSON Schema); the refinement is the real check.
              .regex(/^https?:\/\/[^/?#@\s]+\/?$/i, { error: ORIGIN_MESSAGE, abort: true })
              .refine((value) => parseExactOrigin(value) !== undefined, ORIGIN_MESSAGE),
          )
          .optional()
          .describe("Exact origins (scheme://host:port) allowed to reach loopback and private addresses in strict mode."),
      })
      .optional()
      .describe("Which addresses upstream connections may reach. Link-local and cloud metadata addresses are always refused."),
  })
  .describe("Security settings.");

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
        maxHeaderBytes: z.number().int().positive().optional().describe("Largest request line plus headers; larger requests get 431."),
        maxUrlBytes: z.number().int().positive().optional().describe("Longest request path and query; longer ones get 414."),
        headersTimeoutMs: z.number().int().positive().optional().describe("Time a client has to send its request headers (slow-client protection)."),
        requestTimeoutMs: z.number().int().positive().optional().describe("Time a client has to send its whole request, body included."),
        keepAliveTimeoutMs: z.number().int().positive().optional().describe("How long an idle keep-alive connection stays open."),
        shutdownTimeoutMs: z.number().int().nonnegative().optional().describe("Grace period for in-flight requests on shutdown."),
        allowedHosts: z
          .array(z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, "must be a host name, optionally with ':port'"))
          .optional()
          .describe("Host names (optionally name:port) the admin API accepts in the Host header besides the listening address, e.g. a reverse proxy's public name."),
      })
      .optional(),
    timeouts: timeoutsSchema.optional(),
    security: securitySchema.optional(),
    providers: z
      .record(z.string().regex(PROVIDER_NAME_PATTERN, "provider names are letters, digits, '.', '_' or '-' (no '/')"), providerConfigSchema)
      .optional(),
    models: z
      .record(z.string().regex(/^[^/]+\/.+$/, "model ids are '<prefix>/<model>'"), modelConfigSchema)
      .optional(),
    routes: z
      .record(
        z
          .string()
          .regex(ROUTE_NAME_PATTERN, "route names are letters, digits, '.', '_', ':' or '-' (no '/')")
          .refine((name) => name !== "default", "'default' is reserved for the default model"),
        routeConfigSchema,
      )
      .optional()
      .describe("Named routes (aliases, tiers) clients can send as the model."),
    routing: routingSettingsSchema.optional(),
    parameters: z
      .strictObject({
        policy: parameterPolicySchema.optional(),
        reasoningField: z
          .enum(["reasoning_content", "reasoning", "as-sent"])
          .optional()
          .describe("The field reasoning text reaches clients in (default reasoning_content); as-sent keeps the upstream's. Never both."),
      })
      .optional()
      .describe("How provider parameter rules apply (docs/providers/README.md#parameter-rules)."),
  })
  .describe("Switchyard configuration.");

/** A validated config file. */
export type SwitchyardConfig = z.infer<typeof configSchema>;
/** One validated provider entry. */
export type ProviderConfig = z.infer<typeof providerConfigSchema>;
/** One validated model entry. */
export type ModelConfig = z.infer<typeof modelConfigSchema>;
/** One validated route. */
export type RouteConfig = z.infer<typeof routeConfigSchema>;
/** Rate limits as configured. */
export type RateLimitsConfig = z.infer<typeof rateLimitsSchema>;
/** Retry and breaker settings. */
export type RoutingSettings = z.infer<typeof routingSettingsSchema>;
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
