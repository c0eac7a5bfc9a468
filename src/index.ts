/**
 * @module switchyard
 * The library entry point: `createGateway()` and its types. Every other module is internal.
 */
export { createGateway } from "./gateway/create-gateway.js";
export type { Gateway, GatewayOptions, GatewayResponse, JsonEndpoint, ListeningServer, ProviderSummary } from "./gateway/create-gateway.js";
export type { ModelEntry, ModelListResult, SkippedProvider } from "./gateway/list-models.js";
export type { SwitchyardConfig, ProviderConfig, ModelConfig, RouteConfig } from "./config/config-schema.js";
export type { DeploymentListing, RouteExplanation } from "./gateway/routing-admin.js";
export { GatewayError } from "./errors/gateway-error.js";
export type { ErrorCode } from "./errors/error-catalogue.js";
export type { TokenUsage, UsageEvent, UsageListener } from "./compat/usage.js";
export { openStore } from "./store/open-store.js";
export type { Store } from "./store/store-types.js";
