/**
 * @module gateway/list-models
 * `GET /v1/models`: the union of every enabled provider's own list, each id with its prefix, plus
 * the models the config declares. Providers are asked in parallel with a short deadline; one that
 * is down or slow is reported and skipped — or, if it answered before, its last good list is used —
 * and never fails the whole list.
 */
import type { ModelConfig } from "../config/config-schema.js";
import { MODEL_LIST_CACHE_TTL_MS, MODEL_LIST_TIMEOUT_MS } from "../defaults.js";
import { GatewayError } from "../errors/gateway-error.js";
import { classifyUpstreamFailure } from "../upstream/classify-failure.js";
import { readLimited } from "../upstream/read-limited.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import type { ModelRouter, ProviderRuntime } from "./model-router.js";
import { parseModelList, type UpstreamModel } from "./parse-model-list.js";
import { requestFrom } from "../upstream/undici-runtime.js";

/** Largest model list accepted (OpenRouter's, with prices and descriptions, is about 1 MB). */
const MAX_MODEL_LIST_BYTES = 16 * 1024 * 1024;

/** One entry of the OpenAI model list, with Switchyard's additions. */
export interface ModelEntry {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  display_name?: string;
  type?: string;
  context_window?: number;
  capabilities?: string[];
  pricing?: { input_per_million: number; output_per_million: number };
}

/** A provider left out of a list, and why. */
export interface SkippedProvider {
  readonly provider: string;
  readonly reason: string;
}

/** The list plus what had to be skipped. */
export interface ModelListResult {
  readonly data: ModelEntry[];
  readonly skipped: SkippedProvider[];
}

interface CachedList {
  readonly models: UpstreamModel[];
  readonly fetchedAt: number;
}

/** Fetches and caches provider model lists. */
export class ModelLister {
  readonly #router: ModelRouter;
  readonly #cache = new Map<string, CachedList>();
  readonly #timeoutMs: number;

  constructor(router: ModelRouter, timeoutMs = MODEL_LIST_TIMEOUT_MS) {
    this.#router = router;
    this.#timeoutMs = timeoutMs;
  }

  /** The union list over all enabled providers. */
  async list(): Promise<ModelListResult> {
    // A provider whose stored secrets cannot be read is not asked (it would be asked with the wrong key).
    const providers = this.#router.providers.filter(
      (provider) => provider.settings.enabled && provider.settings.unavailable === undefined && provider.targets.has("models"),
    );
    const results = await Promise.all(providers.map((provider) => this.#providerModels(provider)));
    const data: ModelEntry[] = [];
    const skipped: SkippedProvider[] = [];
    const seen = new Set<string>();
    results.forEach((result, index) => {
      const provider = providers[index];
      if (provider === undefined) return;
      if ("reason" in result) skipped.push({ provider: provider.settings.name, reason: result.reason });
      else for (const model of result.models) data.push(this.#entry(provider, model, seen));
    });
    for (const [id, config] of this.#router.declaredModels) {
      // A declared model is only usable (and so only listed) while its provider exists and is enabled.
      const provider = this.#router.provider(id.slice(0, id.indexOf("/")));
      if (provider?.settings.enabled !== true) continue;
      if (!seen.has(id)) data.push(withMetadata({ id, object: "model", created: 0, owned_by: id.slice(0, id.indexOf("/")) }, config));
    }
    return { data, skipped };
  }

  /** One model by id: declared in config, or found in its provider's list. */
  async get(requested: string): Promise<ModelEntry> {
    const route = this.#router.resolve(requested, "models");
    // `default` resolves to a real id; describe that one.
    const modelId = route.modelId;
    const declared = this.#router.modelConfig(modelId);
    const result = await this.#providerModels(route.provider, true);
    if ("error" in result) {
      if (declared !== undefined) return withMetadata({ id: modelId, object: "model", created: 0, owned_by: route.provider.settings.name }, declared);
      throw result.error;
    }
    const model = result.models.find((candidate) => candidate.id === route.upstreamModel);
    if (model !== undefined) return this.#entry(route.provider, { ...model, id: modelId.slice(modelId.indexOf("/") + 1) }, new Set());
    if (declared !== undefined) return withMetadata({ id: modelId, object: "model", created: 0, owned_by: route.provider.settings.name }, declared);
    throw new GatewayError("model_not_found", `The model '${modelId}' does not exist: provider '${route.provider.settings.name}' does not list '${route.upstreamModel}'.`, {
      param: "model",
    });
  }

  #entry(provider: ProviderRuntime, model: UpstreamModel, seen: Set<string>): ModelEntry {
    const id = `${provider.settings.name}/${model.id}`;
    seen.add(id);
    const entry: ModelEntry = { id, object: "model", created: model.created ?? 0, owned_by: model.ownedBy ?? provider.settings.name };
    if (model.contextWindow !== undefined) entry.context_window = model.contextWindow;
    const declared = this.#router.modelConfig(id);
    return declared === undefined ? entry : withMetadata(entry, declared);
  }

  async #providerModels(provider: ProviderRuntime, strict = false): Promise<{ models: UpstreamModel[] } | { reason: string; error: GatewayError }> {
    const name = provider.settings.name;
    const cached = this.#cache.get(name);
    if (cached !== undefined && Date.now() - cached.fetchedAt < MODEL_LIST_CACHE_TTL_MS) return { models: cached.models };
    const target = provider.targets.get("models");
    if (target === undefined) return { reason: "does not list models", error: new GatewayError("unsupported_endpoint", `Provider '${name}' does not list models.`) };
    try {
      const models = provider.settings.kind.modelList === "native" ? await this.#discover(provider) : await this.#fetch(target);
      this.#cache.set(name, { models, fetchedAt: Date.now() });
      return { models };
    } catch (error) {
      const gatewayError =
        error instanceof GatewayError
          ? error
          : error instanceof Error && error.name === "DiscoveryError" && (error as { code?: unknown }).code !== "outbound_forbidden"
            ? new GatewayError("upstream_unreachable", error.message, { cause: error })
            : // A policy refusal keeps its non-revealing client message (the diagnosis names the address).
              classifyUpstreamFailure(error instanceof Error && error.name === "DiscoveryError" ? error.cause : error, target);
      // A stale list beats no list when the provider is only slow or briefly down.
      if (cached !== undefined && !strict) return { models: cached.models };
      return { reason: gatewayError.message, error: gatewayError };
    }
  }

  /** Lists through the kind's native format (loaded on first use), reduced to what the list shows. */
  async #discover(provider: ProviderRuntime): Promise<UpstreamModel[]> {
    const { discoverModels } = await import("../discovery/index.js");
    const models = await discoverModels(provider.settings, { timeoutMs: this.#timeoutMs, outbound: this.#router.outbound });
    return models.map((model) => ({
      id: model.id,
      ...(model.ownedBy === undefined ? {} : { ownedBy: model.ownedBy }),
      ...(model.contextWindow === undefined ? {} : { contextWindow: model.contextWindow }),
    }));
  }

  async #fetch(target: UpstreamTarget): Promise<UpstreamModel[]> {
    const response = await requestFrom(target.pool, {
      path: target.path,
      method: "GET",
      headers: target.baseHeaders,
      signal: AbortSignal.timeout(this.#timeoutMs),
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
    const body = await readLimited(response.body, MAX_MODEL_LIST_BYTES);
    if (response.statusCode !== 200) {
      throw new GatewayError("upstream_bad_response", `Upstream provider '${target.provider}' at ${target.host} answered HTTP ${response.statusCode} to the model list.`, {
        status: response.statusCode >= 500 ? 502 : response.statusCode,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      throw new GatewayError("upstream_bad_response", `Upstream provider '${target.provider}' at ${target.host} sent a model list that is not JSON.`);
    }
    const models = parseModelList(json);
    if (models === undefined) {
      throw new GatewayError("upstream_bad_response", `Upstream provider '${target.provider}' at ${target.host} sent a model list without a 'data' array of models.`);
    }
    return models;
  }

}

function withMetadata(entry: ModelEntry, config: ModelConfig): ModelEntry {
  const result: ModelEntry = { ...entry };
  if (config.displayName !== undefined) result.display_name = config.displayName;
  if (config.type !== undefined) result.type = config.type;
  if (config.contextWindow !== undefined) result.context_window = config.contextWindow;
  if (config.capabilities !== undefined) result.capabilities = [...config.capabilities];
  if (config.pricing !== undefined) {
    result.pricing = { input_per_million: config.pricing.inputPerMillion, output_per_million: config.pricing.outputPerMillion };
  }
  return result;
}
