/**
 * @module credentials/stored-snapshot
 * Everything routing needs from the store, read once per change: decrypted credentials (or their
 * "unavailable" reason), registered models as metadata, and the default model per type.
 */
import type { ModelConfig } from "../config/config-schema.js";
import type { StoredProvider } from "../config/resolve-providers.js";
import type { RegisteredModels } from "../gateway/model-router.js";
import type { ModelRecord } from "../store/store-types.js";
import type { CredentialService } from "./credential-service.js";

/** The store's contribution to one gateway state. */
export interface StoredSnapshot {
  readonly providers: readonly StoredProvider[];
  readonly registered: RegisteredModels;
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
  const [credentials, models, defaults] = await Promise.all([store.listCredentials(), store.listModels(), store.getDefaults()]);
  return {
    providers: credentials.map((record) => service.storedProvider(record)),
    registered: { models: new Map(models.map((model) => [model.id, modelMetadata(model)])), defaults },
  };
}
