import { afterEach, describe, expect, it } from "vitest";
import type { SwitchyardConfig } from "../config/config-schema.js";
import { resolveProviders } from "../config/resolve-providers.js";
import { GatewayError } from "../errors/gateway-error.js";
import { HealthRegistry } from "../router/deployment-health.js";
import { PoolRegistry } from "../upstream/pool-registry.js";
import { ModelRouter } from "./model-router.js";
import { orderCandidates, RoutePlanner } from "./route-planner.js";

const pools = new PoolRegistry();
afterEach(async () => {
  await pools.destroy();
});

const PROVIDERS: SwitchyardConfig["providers"] = {
  a: { kind: "openai-compat", baseUrl: "http://127.0.0.1:1/v1" },
  b: { kind: "openai-compat", baseUrl: "http://127.0.0.1:2/v1" },
  c: { kind: "openai-compat", baseUrl: "http://127.0.0.1:3/v1", enabled: false },
};

function planner(config: SwitchyardConfig, health = new HealthRegistry()): RoutePlanner {
  const full = { ...config, providers: PROVIDERS };
  const router = new ModelRouter(resolveProviders(full, {}, "test", []), full, pools);
  return new RoutePlanner(router, full, pools, health);
}

describe("RoutePlanner", () => {
  it("plans a plain model id as exactly one deployment, with no strategy to run", () => {
    const plan = planner({}).plan("a/llama", "chat");
    expect(plan.kind).toBe("model");
    expect(plan.only?.map((candidate) => candidate.id)).toEqual(["a/llama"]);
  });

  it("returns the same plan object for the same model and endpoint (built once)", () => {
    const routes = planner({ routes: { duo: { targets: ["a/x", "b/y"] } } });
    expect(routes.plan("duo", "chat")).toBe(routes.plan("duo", "chat"));
  });

  it("resolves a route's targets in list order under the default priority strategy, then its fallbacks", () => {
    const plan = planner({ routes: { fast: { targets: ["a/small", "b/small"], fallbacks: ["smart", "b/backup"] }, smart: { targets: ["a/large"] } } }).plan("fast", "chat");
    const order = orderCandidates(plan, new HealthRegistry(), 0, () => 0.5);
    expect(order.map((candidate) => candidate.id)).toEqual(["a/small", "b/small", "a/large", "b/backup"]);
    expect(plan.groups.map((group) => group.source)).toEqual(["fast", "smart", "b/backup"]);
  });

  it("cuts fallback cycles and drops a deployment that appears twice", () => {
    const plan = planner({ routes: { one: { targets: ["a/m"], fallbacks: ["two"] }, two: { targets: ["b/m", "a/m"], fallbacks: ["one"] } } }).plan("one", "chat");
    expect(orderCandidates(plan, new HealthRegistry(), 0, () => 0).map((candidate) => candidate.id)).toEqual(["a/m", "b/m"]);
  });

  it("draws the first deployment by weight under the weighted strategy", () => {
    const plan = planner({ routes: { w: { strategy: "weighted", targets: [{ model: "a/m", weight: 1 }, { model: "b/m", weight: 3 }] } } }).plan("w", "chat");
    const first = (random: number) => orderCandidates(plan, new HealthRegistry(), 0, () => random)[0]?.id;
    expect(first(0.1)).toBe("b/m");
    expect(first(0.9)).toBe("a/m");
  });

  it("keeps a model's declared fallbacks after the model itself", () => {
    const plan = planner({ models: { "a/m": { fallbacks: ["b/m"] } } }).plan("a/m", "chat");
    expect(plan.only).toBeUndefined();
    expect(orderCandidates(plan, new HealthRegistry(), 0, Math.random).map((candidate) => candidate.id)).toEqual(["a/m", "b/m"]);
  });

  it("lists targets it cannot use with the reason, and uses the rest", () => {
    const plan = planner({ routes: { mixed: { targets: ["c/m", "zz/m", "b/m"] } } }).plan("mixed", "chat");
    expect(plan.only?.map((candidate) => candidate.id)).toEqual(["b/m"]);
    expect(plan.unusable.map((entry) => entry.target)).toEqual(["c/m", "zz/m"]);
    expect(plan.unusable[0]?.reason).toMatch(/disabled/);
    expect(plan.unusable[1]?.reason).toMatch(/no provider is named 'zz'/);
  });

  it("throws the underlying error when no target of a route is usable", () => {
    expect(() => planner({ routes: { none: { targets: ["zz/m"] } } }).plan("none", "chat")).toThrow(GatewayError);
  });

  it("applies per-model and per-route timeouts over the provider's, on a target of their own", () => {
    const routes = planner({ models: { "a/slow": { timeouts: { firstByteMs: 900_000 } } }, routes: { quick: { targets: ["a/slow"], timeouts: { totalMs: 1_234 } } } });
    const direct = routes.plan("a/fast", "chat").only?.[0]?.route.target.timeouts;
    const viaRoute = routes.plan("quick", "chat");
    expect(viaRoute.only?.[0]?.route.target.timeouts).toEqual({ ...direct, firstByteMs: 900_000, totalMs: 1_234 });
    expect(viaRoute.totalMs).toBe(1_234);
  });

  it("shares one health entry per deployment across routes and plans", () => {
    const health = new HealthRegistry();
    const routes = planner({ routes: { one: { targets: ["a/m"] }, two: { targets: ["b/x", "a/m"] } } }, health);
    const fromOne = routes.plan("one", "chat").only?.[0]?.health;
    const fromTwo = routes.plan("two", "chat").groups[0]?.candidates[1]?.health;
    expect(fromOne).toBe(fromTwo);
    expect(fromOne).toBe(health.get("a/m"));
  });

  it("carries route and deployment rate limits with distinct limiter keys", () => {
    const plan = planner({ models: { "a/m": { limits: { rpm: 5 } } }, routes: { r: { targets: ["a/m"], limits: { tpm: 100 } } } }).plan("r", "chat");
    expect(plan.limits).toEqual({ tokensPerMinute: 100 });
    expect(plan.only?.[0]?.limits).toEqual({ requestsPerMinute: 5 });
    expect(plan.limitKey).not.toBe(plan.only?.[0]?.limitKey);
  });
});
