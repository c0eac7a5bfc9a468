/**
 * @module gateway/routing-admin
 * What the admin API and CLI show and change about routing: deployment health (breakers, latency,
 * last error), route explain (the order a request would take, and why each deployment is in or
 * out, without calling any upstream) and the routes saved in the store.
 */
import type { RouteConfig } from "../config/config-schema.js";
import { ROUTE_NAME_PATTERN } from "../config/name-patterns.js";
import { loadStoredRoutes, ROUTES_META_KEY } from "../credentials/stored-snapshot.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { RateLimiter } from "../limits/rate-limiter.js";
import type { Endpoint } from "../providers/types.js";
import type { DeploymentHealthView, HealthRegistry } from "../router/deployment-health.js";
import type { Store } from "../store/store-types.js";
import type { GatewayState } from "./gateway-state.js";
import { DEFAULT_MODEL_ID } from "./model-router.js";
import { orderCandidates, type Plan } from "./route-planner.js";

/** Breaker status spelt as an identifier. */
export type BreakerStateName = "closed" | "open" | "half_open";

/** One deployment as the health API lists it. */
export interface DeploymentListing extends Omit<DeploymentHealthView, "breaker"> {
  readonly breaker: DeploymentHealthView["breaker"] & { readonly state: BreakerStateName };
  readonly provider: string;
  readonly upstreamModel: string;
  /** The first route or model naming it (the id itself when only used directly). */
  readonly model: string;
  /** Every route or model naming it. */
  readonly models: readonly string[];
}

/** One deployment in an explanation. */
export interface ExplainedCandidate {
  readonly position: number;
  readonly deployment: string;
  readonly modelId: string;
  /** The route name or model id whose group brought it in. */
  readonly via: string;
  readonly weight: number;
  readonly priority: number;
  readonly status: "chosen" | "fallback" | "skipped";
  readonly reason: string;
  readonly breaker: string;
  readonly latencyMs: number | null;
  readonly inFlight: number;
}

/** The answer of route explain. */
export interface RouteExplanation {
  readonly model: string;
  readonly resolved: string;
  readonly kind: "route" | "model";
  readonly endpoint: Endpoint;
  readonly strategies: readonly { readonly via: string; readonly strategy: string }[];
  readonly candidates: readonly ExplainedCandidate[];
  readonly unusable: readonly { readonly target: string; readonly reason: string }[];
  readonly routeLimited: string | null;
  readonly note: string;
}

/** A route as listed: where it is defined and its definition. */
export interface RouteView extends RouteConfig {
  readonly name: string;
  readonly source: "config" | "store";
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** Routing views and edits over the gateway's current state. */
export class RoutingAdmin {
  readonly #state: () => GatewayState;
  readonly #health: HealthRegistry;
  readonly #limiter: RateLimiter;
  readonly #store: Store | undefined;
  readonly #onChange: () => Promise<void>;

  constructor(options: { state: () => GatewayState; health: HealthRegistry; limiter: RateLimiter; store: Store | undefined; onChange: () => Promise<void> }) {
    this.#state = options.state;
    this.#health = options.health;
    this.#limiter = options.limiter;
    this.#store = options.store;
    this.#onChange = options.onChange;
  }

  /** Every deployment named by a route, a model with fallbacks, or used since start, with its health. */
  deployments(now = Date.now()): DeploymentListing[] {
    const state = this.#state();
    const byId = new Map<string, Set<string>>();
    const add = (id: string, model: string): void => {
      const models = byId.get(id) ?? new Set<string>();
      models.add(model);
      byId.set(id, models);
    };
    for (const [name, route] of state.planner.routes) {
      for (const target of route.targets) {
        const modelId = typeof target === "string" ? target : target.model;
        const id = this.#deploymentId(state, modelId);
        if (id !== undefined) add(id, name);
      }
    }
    for (const [modelId, model] of state.router.declaredModels) {
      if (model.fallbacks === undefined && model.limits === undefined) continue;
      const id = this.#deploymentId(state, modelId);
      if (id !== undefined) add(id, modelId);
    }
    for (const id of this.#health.ids()) if (!byId.has(id)) byId.set(id, new Set());
    return [...byId.entries()]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([id, models]) => {
        const view = this.#health.view(id, now);
        const slash = id.indexOf("/");
        return {
          ...view,
          // `state` spells the breaker status as an identifier (`half_open`) for UIs keyed on it.
          breaker: { ...view.breaker, state: view.breaker.status.replace("-", "_") as BreakerStateName },
          provider: id.slice(0, slash),
          upstreamModel: id.slice(slash + 1),
          model: [...models][0] ?? id,
          models: [...models],
        };
      });
  }

  #deploymentId(state: GatewayState, modelId: string): string | undefined {
    try {
      return state.router.resolve(modelId, "chat").deployment;
    } catch {
      try {
        return state.router.resolve(modelId, "embeddings").deployment;
      } catch {
        return undefined;
      }
    }
  }

  /** The order a request for `model` would take now, and why; calls no upstream and changes nothing. */
  async explain(model: string, endpoint: Endpoint = "chat", now = Date.now()): Promise<RouteExplanation> {
    const state = this.#state();
    const plan = state.planner.plan(model, endpoint);
    const cost = { requests: 1, tokens: 1 };
    let routeLimited: string | null = null;
    if (plan.limits !== undefined) {
      const decision = await this.#limiter.peek(plan.limitKey, cost, plan.limits, now);
      if (!decision.allowed) routeLimited = `'${plan.name}' is at its own rate limit; a request now would get 429 (retry in ${seconds(decision.retryAfterMs)} s).`;
    }
    // A fixed draw: explain shows one possible order without moving a round-robin cursor.
    const order = orderCandidates(explainPlan(plan), this.#health, now, () => 0);
    const viaOf = new Map<string, string>();
    for (const group of plan.groups) for (const candidate of group.candidates) if (!viaOf.has(candidate.id)) viaOf.set(candidate.id, group.source);
    let chosen = false;
    const candidates: ExplainedCandidate[] = [];
    for (const [index, candidate] of order.entries()) {
      const view = this.#health.view(candidate.id, now);
      let status: ExplainedCandidate["status"];
      let reason: string;
      const breaker = candidate.health.breaker;
      const limit = candidate.limits === undefined ? undefined : await this.#limiter.peek(candidate.limitKey, cost, candidate.limits, now);
      if (!breaker.canPass(now)) {
        status = "skipped";
        const until = view.breaker.opensUntil;
        reason =
          until === undefined
            ? "circuit breaker half-open: its one probe call is under way"
            : `circuit breaker open after ${view.breaker.consecutiveFailures} consecutive failures; next probe in ${seconds(until - now)} s`;
      } else if (limit !== undefined && !limit.allowed) {
        status = "skipped";
        reason = `rate-limited (${describeLimits(candidate.limits)}); room again in ${seconds(limit.retryAfterMs)} s`;
      } else if (!chosen) {
        chosen = true;
        status = "chosen";
        reason = view.breaker.status === "half-open" ? "first in order; its breaker is half-open, so this call is the probe" : "first in order that passes its breaker and rate limits";
      } else {
        status = "fallback";
        reason = "tried next if the ones above fail (connection error, timeout, 408/409/429/5xx)";
      }
      candidates.push({
        position: index + 1,
        deployment: candidate.id,
        modelId: candidate.modelId,
        via: viaOf.get(candidate.id) ?? plan.name,
        weight: candidate.weight,
        priority: candidate.priority,
        status,
        reason,
        breaker: view.breaker.status,
        latencyMs: view.latencyMs,
        inFlight: view.inFlight,
      });
    }
    const strategies = plan.groups.map((group) => ({ via: group.source, strategy: group.strategyName }));
    const random = plan.groups.some((group) => group.strategyName === "weighted" && group.candidates.length > 1);
    return {
      model,
      resolved: plan.name,
      kind: plan.kind,
      endpoint,
      strategies,
      candidates,
      unusable: plan.unusable,
      routeLimited,
      note: random
        ? "The weighted strategy draws the first deployment at random for each request (by weight); this shows the order by weight."
        : "Order as the next request would see it.",
    };
  }

  /** Routes in effect, marked with where each is defined. */
  async listRoutes(): Promise<RouteView[]> {
    const stored = this.#store === undefined ? new Map<string, RouteConfig>() : await loadStoredRoutes(this.#store);
    const state = this.#state();
    return [...state.planner.routes.entries()]
      .map(([name, route]) => ({ name, source: stored.has(name) ? ("store" as const) : ("config" as const), ...route }))
      .sort((left, right) => left.name.localeCompare(right.name));
  }

  /** One route in effect. */
  async getRoute(name: string): Promise<RouteView> {
    const found = (await this.listRoutes()).find((route) => route.name === name);
    if (found === undefined) throw new GatewayError("not_found", `No route is named '${name}'.`);
    return found;
  }

  /** Creates or replaces a saved route; it overrides a config route of the same name. */
  async putRoute(name: string, route: RouteConfig): Promise<RouteView> {
    const store = this.#requireStore();
    if (!ROUTE_NAME_PATTERN.test(name) || name === DEFAULT_MODEL_ID) {
      throw new GatewayError("invalid_request", `'${name}' cannot name a route: use letters, digits, '.', '_', ':' or '-' (no '/'), and not 'default'.`, { param: "name" });
    }
    for (const fallback of route.fallbacks ?? []) {
      if (fallback === name) throw new GatewayError("invalid_request", `Route '${name}' cannot fall back to itself.`, { param: "fallbacks" });
    }
    await store.transaction(async (tx) => {
      const routes = Object.fromEntries(await loadStoredRoutes(tx));
      routes[name] = route;
      await tx.setMeta(ROUTES_META_KEY, JSON.stringify(routes));
    });
    await this.#onChange();
    return this.getRoute(name);
  }

  /** Deletes a saved route; a config route of the same name applies again. */
  async deleteRoute(name: string): Promise<void> {
    const store = this.#requireStore();
    const removed = await store.transaction(async (tx) => {
      const routes = await loadStoredRoutes(tx);
      if (!routes.delete(name)) return false;
      await tx.setMeta(ROUTES_META_KEY, JSON.stringify(Object.fromEntries(routes)));
      return true;
    });
    if (!removed) {
      const inConfig = this.#state().config.routes?.[name] !== undefined;
      throw new GatewayError("not_found", inConfig ? `Route '${name}' is defined in the config file; edit the file to change it.` : `No saved route is named '${name}'.`);
    }
    await this.#onChange();
  }

  #requireStore(): Store {
    if (this.#store === undefined) throw new GatewayError("not_found", "Routes can be saved only when Switchyard has a store (a data directory or a database).");
    return this.#store;
  }
}

/** The plan with fresh strategies, so explaining never advances a round-robin cursor. */
function explainPlan(plan: Plan): Plan {
  return { ...plan, groups: plan.groups.map((group) => ({ ...group, strategy: group.strategyName === "round-robin" ? (candidates) => [...candidates] : group.strategy })) };
}

function describeLimits(limits: { readonly requestsPerMinute?: number; readonly tokensPerMinute?: number } | undefined): string {
  if (limits === undefined) return "no limits";
  const parts: string[] = [];
  if (limits.requestsPerMinute !== undefined) parts.push(`${limits.requestsPerMinute} requests/min`);
  if (limits.tokensPerMinute !== undefined) parts.push(`${limits.tokensPerMinute} tokens/min`);
  return parts.join(", ");
}
