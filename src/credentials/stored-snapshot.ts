/**
 * @module credentials/stored-snapshot
 * Everything routing needs from the store, read once per change: decrypted credentials (or their
 * "unavailable" reason), registered models as metadata, and the default model per type.
 */
import type { ModelConfig, RouteConfig } from "../config/config-schema.js";
import type { StoredProvider } from "../config/resolve-providers.js";
import type { RegisteredModels } from "../gateway/model-router.js";
import type { ModelRecord, Store } from "../store/store-types.js";
import type { CredentialService } from "./credential-service.js";

/** The store's contribution to one gateway state. */
export interface StoredSnapshot {
  readonly providers: readonly StoredProvider[];
  readonly registered: RegisteredModels;
  /** Routes saved through the admin API or CLI; they override config routes of the same name. */
  readonly routes?: ReadonlyMap<string, RouteConfig>;
}

function modelMetadata(model: ModelRecord): ModelConfig {
  return {
    upstreamModel: model.upstreamModel,
    type: model.type,
    ...(model.displayName === null ? {} : { displayName: model.displayName }),
    ...(model.contextWindow === null ? {} : { contextWindow: model.contextWindow }),
    ...(model.capabilities.length === 0 ? {} : { capabilities: [...model.capabilities] as ModelConfig["capabilities"] }),
    ...(model.inputPricePerMillion === null || model.outputPricePerMillion === null
      ? {}
      : { pricing: { inputPerMillion: model.inputPricePerMillion, outputPerMillion: model.outputPricePerMillion } }),
  };
}

/** Reads the snapshot; a credential whose secrets cannot be read is included as unavailable. */
export async function loadStoredSnapshot(service: CredentialService): Promise<StoredSnapshot> {
  const store = service.store;
  const [credentials, models, defaults, routes] = await Promise.all([store.listCredentials(), store.listModels(), store.getDefaults(), loadStoredRoutes(store)]);
  return {
    providers: credentials.map((record) => service.storedProvider(record)),
    registered: { models: new Map(models.map((model) => [model.id, modelMetadata(model)])), defaults },
    routes,
  };
}

/** The store's meta key holding saved routes: one JSON object, route name → route. */
export const ROUTES_META_KEY = "routes";

/**
 * Reads the routes saved through the admin API or CLI. Each was validated when saved; one that no
 * longer validates (written by a newer version) is left out rather than half-used.
 */
export async function loadStoredRoutes(store: Pick<Store, "getMeta">): Promise<Map<string, RouteConfig>> {
  const text = await store.getMeta(ROUTES_META_KEY);
  const routes = new Map<string, RouteConfig>();
  if (text === undefined) return routes;
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null) return routes;
  // zod loads only when routes have been saved: a gateway without them never pays for it.
  const { routeConfigSchema } = await import("../config/config-schema.js");
  for (const [name, value] of Object.entries(parsed)) {
    const result = routeConfigSchema.safeParse(value);
    if (result.success) routes.set(name, result.data);
  }
  return routes;
}
