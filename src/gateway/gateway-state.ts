/**
 * @module gateway/gateway-state
 * Everything derived from one loaded configuration: resolved providers, connection pools, the
 * model router and the model lister. A config reload builds a new state and swaps it in whole.
 */
import type { SwitchyardConfig } from "../config/config-schema.js";
import { resolveProviders, type Environment, type ProviderSettings } from "../config/resolve-providers.js";
import { PoolRegistry } from "../upstream/pool-registry.js";
import { ModelLister } from "./list-models.js";
import { ModelRouter } from "./model-router.js";

/** One configuration, ready to serve. */
export interface GatewayState {
  readonly config: SwitchyardConfig;
  readonly providers: readonly ProviderSettings[];
  readonly pools: PoolRegistry;
  readonly router: ModelRouter;
  readonly lister: ModelLister;
}

/** Options that shape a state beyond the config file. */
export interface StateOptions {
  readonly modelListTimeoutMs?: number;
}

/** Builds the state for a config and environment. Throws ConfigError on bad settings. */
export function buildGatewayState(config: SwitchyardConfig, env: Environment, configFile: string, options: StateOptions = {}): GatewayState {
  const providers = resolveProviders(config, env, configFile);
  const pools = new PoolRegistry();
  const router = new ModelRouter(providers, config, pools);
  return { config, providers, pools, router, lister: new ModelLister(router, options.modelListTimeoutMs) };
}
