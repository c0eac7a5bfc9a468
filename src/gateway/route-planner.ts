/**
 * @module gateway/route-planner
 * Turns the model a client sent into a plan: the deployments that may answer, grouped by the
 * strategy that orders each group, with the limits and time budget that apply (SPEC §5). A model id
 * (`provider/model`) is one deployment plus its declared fallbacks; a route name (`fast`, `smart`)
 * is its targets ordered by its strategy, then its fallbacks in order. Plans are built once per
 * config and endpoint and cached, so a request pays two map lookups and, for several deployments,
 * one strategy call.
 */
import type { ModelConfig, RateLimitsConfig, RouteConfig, SwitchyardConfig, TimeoutsConfig } from "../config/config-schema.js";
import { DEFAULT_TOTAL_TIMEOUT_MS } from "../defaults.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { RateLimits } from "../limits/rate-limiter.js";
import type { Endpoint } from "../providers/types.js";
import type { Deployment } from "../router/deployment.js";
import type { DeploymentHealth, HealthRegistry } from "../router/deployment-health.js";
import { createStrategy, type Strategy, type StrategyName } from "../router/strategies.js";
import type { PoolRegistry } from "../upstream/pool-registry.js";
import { buildUpstreamTarget } from "../upstream/upstream-target.js";
import { EndpointCache } from "./endpoint-cache.js";
import { DEFAULT_MODEL_ID, type ModelRouter, type Route } from "./model-router.js";

/** One deployment a request may go to, ready to call. */
export interface Candidate extends Deployment {
  /** The model id it was named by (`provider/model`). */
  readonly modelId: string;
  readonly route: Route;
  readonly health: DeploymentHealth;
  /** This deployment's own limits, if any, and the limiter key they are counted under. */
  readonly limits: RateLimits | undefined;
  readonly limitKey: string;
}

/** Candidates ordered by one strategy. */
export interface PlanGroup {
  /** The route name or model id the group came from. */
  readonly source: string;
  readonly strategyName: StrategyName;
  readonly strategy: Strategy;
  readonly candidates: readonly Candidate[];
}

/** A target that could not be used, and why (shown by route explain). */
export interface UnusableTarget {
  readonly target: string;
  readonly reason: string;
}

/** Everything the attempt loop needs for one requested model. */
export interface Plan {
  /** The route name or model id after `default` was resolved. */
  readonly name: string;
  readonly kind: "route" | "model";
  readonly groups: readonly PlanGroup[];
  /** Set when the plan is exactly one deployment: no strategy runs at all. */
  readonly only: readonly Candidate[] | undefined;
  /** Limits of the route or model as a whole. */
  readonly limits: RateLimits | undefined;
  readonly limitKey: string;
  /** Wall time for the whole request, retries and sleeps included. */
  readonly totalMs: number;
  readonly unusable: readonly UnusableTarget[];
}

function toLimits(config: RateLimitsConfig | undefined): RateLimits | undefined {
  if (config === undefined || (config.rpm === undefined && config.tpm === undefined)) return undefined;
  return {
    ...(config.rpm === undefined ? {} : { requestsPerMinute: config.rpm }),
    ...(config.tpm === undefined ? {} : { tokensPerMinute: config.tpm }),
  };
}

function hasTimeouts(layer: TimeoutsConfig | undefined): layer is TimeoutsConfig {
  return layer !== undefined && Object.values(layer).some((value) => value !== undefined);
}

/** Builds and caches plans for one gateway state. */
export class RoutePlanner {
  readonly #router: ModelRouter;
  readonly #routes: ReadonlyMap<string, RouteConfig>;
  readonly #pools: PoolRegistry;
  readonly #health: HealthRegistry;
  readonly #defaultTotalMs: number;
  readonly #plans = new EndpointCache<Plan>((requested, endpoint) => this.#build(requested, endpoint));

  constructor(router: ModelRouter, config: SwitchyardConfig, pools: PoolRegistry, health: HealthRegistry, storedRoutes: ReadonlyMap<string, RouteConfig> = new Map()) {
    this.#router = router;
    // A route saved through the admin API overrides the config file's route of the same name.
    this.#routes = new Map([...Object.entries(config.routes ?? {}), ...storedRoutes]);
    this.#pools = pools;
    this.#health = health;
    this.#defaultTotalMs = config.timeouts?.totalMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
  }

  /** Route definitions in effect (config file and store). */
  get routes(): ReadonlyMap<string, RouteConfig> {
    return this.#routes;
  }

  /** The plan for a requested model on an endpoint, or a GatewayError the client can act on. */
  plan(requested: string, endpoint: Endpoint): Plan {
    return this.#plans.get(requested, endpoint);
  }

  #build(requested: string, endpoint: Endpoint): Plan {
    const name = requested === DEFAULT_MODEL_ID ? this.#router.defaultFor(endpoint) : requested;
    const route = this.#routes.get(name);
    const unusable: UnusableTarget[] = [];
    const groups: PlanGroup[] = [];
    const seen = new Set<string>([name]);
    let firstError: unknown;
    const note = (target: string, error: unknown): void => {
      firstError ??= error;
      unusable.push({ target, reason: error instanceof GatewayError ? error.message : String(error) });
    };

    if (route === undefined) {
      // A plain model id: resolving it throws the usual "unknown model" errors straight to the client.
      const candidate = this.#candidate(name, endpoint, { weight: 1, priority: 0 }, undefined);
      groups.push({ source: name, strategyName: "priority", strategy: createStrategy("priority"), candidates: [candidate] });
      this.#addFallbacks(this.#router.modelConfig(name)?.fallbacks ?? [], endpoint, groups, seen, note);
    } else {
      groups.push(this.#routeGroup(name, route, endpoint, note));
      this.#addFallbacks(route.fallbacks ?? [], endpoint, groups, seen, note);
    }
    const usable = groups.filter((group) => group.candidates.length > 0);
    if (usable.length === 0) {
      if (firstError instanceof GatewayError) throw firstError;
      throw new GatewayError("model_not_found", `The route '${name}' has no usable deployment for this endpoint.`, { param: "model" });
    }
    const first = usable[0];
    const only = usable.length === 1 && first !== undefined && first.candidates.length === 1 ? first.candidates : undefined;
    const limitsConfig = route === undefined ? undefined : route.limits;
    return {
      name,
      kind: route === undefined ? "model" : "route",
      groups: usable,
      only,
      limits: toLimits(limitsConfig),
      limitKey: `route:${name}`,
      totalMs: route?.timeouts?.totalMs ?? this.#router.modelConfig(name)?.timeouts?.totalMs ?? this.#defaultTotalMs,
      unusable,
    };
  }

  #routeGroup(name: string, route: RouteConfig, endpoint: Endpoint, note: (target: string, error: unknown) => void): PlanGroup {
    const candidates: Candidate[] = [];
    route.targets.forEach((target, index) => {
      const modelId = typeof target === "string" ? target : target.model;
      const weight = typeof target === "string" ? 1 : (target.weight ?? 1);
      const priority = typeof target === "string" ? index : (target.priority ?? index);
      try {
        candidates.push(this.#candidate(modelId, endpoint, { weight, priority }, route.timeouts));
      } catch (error) {
        note(modelId, error);
      }
    });
    const strategyName = route.strategy ?? "priority";
    return { source: name, strategyName, strategy: createStrategy(strategyName), candidates };
  }

  /** Appends fallbacks in order; a fallback route brings its own targets and strategy. Cycles are cut. */
  #addFallbacks(fallbacks: readonly string[], endpoint: Endpoint, groups: PlanGroup[], seen: Set<string>, note: (target: string, error: unknown) => void): void {
    for (const fallback of fallbacks) {
      if (seen.has(fallback)) continue;
      seen.add(fallback);
      const route = this.#routes.get(fallback);
      if (route !== undefined) {
        groups.push(this.#routeGroup(fallback, route, endpoint, note));
        this.#addFallbacks(route.fallbacks ?? [], endpoint, groups, seen, note);
        continue;
      }
      try {
        const candidate = this.#candidate(fallback, endpoint, { weight: 1, priority: 0 }, undefined);
        groups.push({ source: fallback, strategyName: "priority", strategy: createStrategy("priority"), candidates: [candidate] });
      } catch (error) {
        note(fallback, error);
      }
    }
  }

  #candidate(modelId: string, endpoint: Endpoint, rank: { weight: number; priority: number }, routeTimeouts: TimeoutsConfig | undefined): Candidate {
    const resolved = this.#router.resolve(modelId, endpoint);
    const modelConfig: ModelConfig | undefined = this.#router.modelConfig(modelId);
    const route = this.#withTimeouts(resolved, endpoint, modelConfig?.timeouts, routeTimeouts);
    return {
      id: route.deployment,
      provider: route.provider.settings.name,
      upstreamModel: route.upstreamModel,
      weight: rank.weight,
      priority: rank.priority,
      modelId,
      route,
      health: this.#health.get(route.deployment),
      limits: toLimits(modelConfig?.limits),
      limitKey: `deployment:${modelId}`,
    };
  }

  /** Per-model and per-route timeouts give the route its own target (built here, once per plan). */
  #withTimeouts(route: Route, endpoint: Endpoint, ...layers: (TimeoutsConfig | undefined)[]): Route {
    const overrides = layers.filter(hasTimeouts);
    if (overrides.length === 0) return route;
    const settings = route.provider.settings;
    const timeouts = { ...settings.timeouts };
    for (const layer of overrides) {
      for (const [key, value] of Object.entries(layer)) if (value !== undefined) timeouts[key as keyof typeof timeouts] = value;
    }
    // The route's own path is kept: an Azure deployment may be in it (model-router.ts).
    const target = { ...buildUpstreamTarget({ ...settings, timeouts }, endpoint, this.#pools), path: route.target.path };
    return { ...route, target };
  }
}

/** The order to try a plan's deployments in for one request: each group by its strategy, duplicates dropped. */
export function orderCandidates(plan: Plan, health: HealthRegistry, now: number, random: () => number): readonly Candidate[] {
  if (plan.only !== undefined) return plan.only;
  const stats = health.stats(now);
  const [single] = plan.groups;
  // One group (a route without fallbacks): the strategy's permutation is the order.
  if (plan.groups.length === 1 && single !== undefined) return single.strategy(single.candidates, stats, random) as Candidate[];
  const order: Candidate[] = [];
  const seen = new Set<string>();
  for (const group of plan.groups) {
    const ordered = group.candidates.length === 1 ? group.candidates : (group.strategy(group.candidates, stats, random) as Candidate[]);
    for (const candidate of ordered) {
      if (seen.has(candidate.id)) continue;
      seen.add(candidate.id);
      order.push(candidate);
    }
  }
  return order;
}
