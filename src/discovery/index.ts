/**
 * @module discovery
 * Model discovery and connection tests, for the credentials API, the console and the CLI.
 * Import from here; the other files in this folder are internals.
 */
export { discoverModels } from "./discover-models.js";
export { testConnection } from "./test-connection.js";
export { discoveryInputFromSettings, toDiscoveryInput, type DiscoveryTarget, type SettingsSelection } from "./discovery-input.js";
export { DiscoveryError } from "./discovery-error.js";
export { classifyModelType, modelTypeFromName } from "./classify-model-type.js";
export { listFormatForKind, type ListFormat } from "./choose-list-format.js";
export type {
  ConnectionTestCode,
  ConnectionTestResult,
  DiscoveredModel,
  DiscoveryFailureCode,
  DiscoveryInput,
  DiscoveryOptions,
  ModelType,
} from "./discovery-types.js";
