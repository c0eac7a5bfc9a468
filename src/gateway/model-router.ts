/**
 * @module gateway/model-router
 * Resolves a client's model id (`<prefix>/<model>`) to the upstream target and model name.
 * Only the first `/` separates, so `vllm/meta-llama/Llama-3.1-8B-Instruct` keeps its own slash.
 * Everything here is built once per config load; resolving is two map lookups.
 */
import type { ModelConfig, SwitchyardConfig } from "../config/config-schema.js";
import type { ProviderSettings } from "../config/resolve-providers.js";
import { GatewayError } from "../errors/gateway-error.js";
import { SERVICE_FOR_ENDPOINT, type Endpoint } from "../providers/types.js";
import type { ModelType } from "../store/store-types.js";
import type { PoolRegistry } from "../upstream/pool-registry.js";
import type { OutboundPolicy } from "../security/outbound-policy.js";
import { buildUpstreamTarget, type UpstreamTarget } from "../upstream/upstream-target.js";
import { EndpointCache } from "./endpoint-cache.js";

/** A provider with its prebuilt upstream targets. */
export interface ProviderRuntime {
  readonly settings: ProviderSettings;
  readonly targets: ReadonlyMap<Endpoint, UpstreamTarget>;
}

/** Where one request goes. */
export interface Route {
  /** The id the client sent. */
  readonly modelId: string;
  readonly provider: ProviderRuntime;
  readonly target: UpstreamTarget;
  /** The model name the upstream receives. */
  readonly upstreamModel: string;
  /** `provider/upstream-model`, safe to use as a header value. */
  readonly deployment: string;
}

/** Models registered in the store and the default model per type, as the router needs them. */
export interface RegisteredModels {
  /** Metadata by public model id; overrides the config file's entry of the same id. */
  readonly models: ReadonlyMap<string, ModelConfig>;
  readonly defaults: Readonly<Partial<Record<ModelType, string>>>;
}

/**
 * The model type whose default serves `model: "default"` on each endpoint: the same mapping as the
 * service that serves it (model types and services share their names).
 */
export const MODEL_TYPE_FOR_ENDPOINT: Readonly<Record<Endpoint, ModelType>> = SERVICE_FOR_ENDPOINT;

/** The model id clients send to use the configured default for the endpoint's type. */
export const DEFAULT_MODEL_ID = "default";

const UNSAFE_HEADER_CHARS = /[^\x20-\x7e]/;

/** The path and query of a URL, as undici's dispatch wants it. */
function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}


/** Resolves model ids against the configured providers. */
export class ModelRouter {
  readonly #providers = new Map<string, ProviderRuntime>();
  readonly #models: ReadonlyMap<string, ModelConfig>;
  readonly #defaults: Readonly<Partial<Record<ModelType, string>>>;
  /** Resolved routes per endpoint, keyed by the id the client sent. */
  readonly #routes = new EndpointCache<Route>((modelId, endpoint) => this.#resolveUncached(modelId, endpoint));
  /** The outbound policy the targets were built under; model listing uses it for its own pools. */
  readonly outbound: OutboundPolicy;

  constructor(providers: readonly ProviderSettings[], config: SwitchyardConfig, pools: PoolRegistry, registered?: RegisteredModels) {
    this.outbound = pools.policy;
    for (const settings of providers) {
      const targets = new Map<Endpoint, UpstreamTarget>();
      for (const endpoint of settings.kind.endpoints) targets.set(endpoint, buildUpstreamTarget(settings, endpoint, pools));
      this.#providers.set(settings.name, { settings, targets });
    }
    this.#models = new Map([...Object.entries(config.models ?? {}), ...(registered?.models ?? [])]);
    this.#defaults = registered?.defaults ?? {};
  }

  /** The default model id for a type, if one is set. */
  defaultModel(type: ModelType): string | undefined {
    return this.#defaults[type];
  }

  /** Providers in configuration order. */
  get providers(): readonly ProviderRuntime[] {
    return [...this.#providers.values()];
  }

  /** Config metadata for a model id, if declared. */
  modelConfig(modelId: string): ModelConfig | undefined {
    return this.#models.get(modelId);
  }

  /** Declared model ids and their metadata. */
  get declaredModels(): ReadonlyMap<string, ModelConfig> {
    return this.#models;
  }

  /** Looks a provider up by prefix. */
  provider(prefix: string): ProviderRuntime | undefined {
    return this.#providers.get(prefix);
  }

  /** Resolves a model id for an endpoint, or throws a GatewayError the client can act on. */
  resolve(modelId: string, endpoint: Endpoint): Route {
    return this.#routes.get(modelId, endpoint);
  }

  #resolveUncached(requested: string, endpoint: Endpoint): Route {
    const modelId = requested === DEFAULT_MODEL_ID ? this.defaultFor(endpoint) : requested;
    const slash = modelId.indexOf("/");
    const prefix = slash > 0 ? modelId.slice(0, slash) : undefined;
    const provider = prefix === undefined ? undefined : this.#providers.get(prefix);
    if (provider === undefined || slash === modelId.length - 1) throw this.#unknownModel(modelId, prefix);
    if (provider.settings.unavailable !== undefined) throw provider.settings.unavailable;
    if (!provider.settings.enabled) {
      throw new GatewayError("model_not_found", `The model '${modelId}' does not exist: provider '${prefix}' is disabled in the configuration.`, { param: "model" });
    }
    const target = provider.targets.get(endpoint);
    if (target === undefined) {
      throw new GatewayError(
        "unsupported_endpoint",
        `Provider '${prefix}' (${provider.settings.kind.displayName}) does not serve ${ENDPOINT_LABELS[endpoint]}.`,
        { param: "model" },
      );
    }
    const declared = this.#models.get(modelId)?.upstreamModel ?? modelId.slice(slash + 1);
    const azure = provider.settings.azure;
    // Azure: the client's name becomes its deployment, and a dated api-version puts it in the path (built once per route).
    const upstreamModel = azure === undefined ? declared : azure.deployments.deploymentFor(declared);
    const routeTarget = azure?.urls === undefined ? target : { ...target, path: pathOf(azure.urls.url(endpoint, upstreamModel)) };
    const deployment = `${prefix}/${upstreamModel}`;
    return {
      modelId,
      provider,
      target: routeTarget,
      upstreamModel,
      deployment: UNSAFE_HEADER_CHARS.test(deployment) ? encodeURI(deployment) : deployment,
    };
  }

  /** The default model (or route) for the endpoint's type, or a GatewayError saying how to set one. */
  defaultFor(endpoint: Endpoint): string {
    const type = MODEL_TYPE_FOR_ENDPOINT[endpoint];
    const model = this.#defaults[type];
    if (model === undefined) {
      throw new GatewayError(
        "model_not_found",
        `No default ${type} model is set. Set one with 'switchyard models default ${type} <model-id>' or PUT /api/defaults/${type}, or send a model id.`,
        { param: "model" },
      );
    }
    return model;
  }

  #unknownModel(modelId: string, prefix: string | undefined): GatewayError {
    const known = [...this.#providers.keys()].map((name) => `${name}/`).join(", ");
    const reason =
      prefix === undefined
        ? "model ids take the form '<provider>/<model>'"
        : modelId.endsWith("/")
          ? "the model name after the prefix is empty"
          : `no provider is named '${prefix}'`;
    return new GatewayError("model_not_found", `The model '${modelId}' does not exist: ${reason}. Known prefixes: ${known}.`, {
      param: "model",
    });
  }
}

const ENDPOINT_LABELS: Readonly<Record<Endpoint, string>> = {
  chat: "/v1/chat/completions",
  completions: "/v1/completions",
  embeddings: "/v1/embeddings",
  speech: "/v1/audio/speech",
  transcriptions: "/v1/audio/transcriptions",
  models: "/v1/models",
};
