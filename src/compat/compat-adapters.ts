/**
 * @module compat/compat-adapters
 * One gateway state's route adapters, built on first use and kept per route (routes are built once
 * per config, so this is a lookup per attempt), and the strict-mode check that runs before the
 * attempt loop: deployments that would have to drop a parameter the policy keeps are taken out of
 * the plan, and a request no deployment can take as asked is refused with a 400.
 */
import type { ProviderSettings } from "../config/resolve-providers.js";
import type { Route } from "../gateway/model-router.js";
import type { Candidate, Plan, PlanGroup } from "../gateway/route-planner.js";
import type { CompatSettings } from "./adaptation.js";
import { PolicyTable } from "./parameter-policy.js";
import type { RequestFacts } from "./request-facts.js";
import { RouteAdapter } from "./route-adapter.js";

/** The adapters of one gateway state. */
export class CompatAdapters {
  readonly settings: CompatSettings;
  readonly #byRoute = new WeakMap<Route, RouteAdapter>();
  /** True when some policy in the config is strict: only then can a request without the header be refused. */
  readonly #strictConfigured: boolean;

  constructor(settings: CompatSettings, providers: readonly ProviderSettings[] = []) {
    this.settings = settings;
    this.#strictConfigured =
      new PolicyTable(undefined, settings.policy).anyStrict || providers.some((provider) => new PolicyTable(provider.parameterPolicy, undefined).anyStrict);
  }

  /** The adapter for a route. */
  for(route: Route): RouteAdapter {
    let adapter = this.#byRoute.get(route);
    if (adapter === undefined) {
      adapter = new RouteAdapter(route, this.settings);
      this.#byRoute.set(route, adapter);
    }
    return adapter;
  }

  /**
   * The plan without deployments that strict mode rules out for this request (the same plan when
   * none is); throws `unsupported_parameter` when none is left.
   */
  strictPlan(plan: Plan, facts: RequestFacts, text: string): Plan {
    // Nothing a rule names was sent, or nothing is strict: nothing can be refused.
    if (facts.present === undefined || (!facts.strict && !this.#strictConfigured)) return plan;
    let firstRefusal: Error | undefined;
    let removed = false;
    const keep = (candidate: Candidate): boolean => {
      const adapter = this.for(candidate.route);
      const violation = adapter.violations(facts, text)[0];
      if (violation === undefined) return true;
      firstRefusal ??= adapter.refusal(violation);
      removed = true;
      return false;
    };
    const groups: PlanGroup[] = [];
    for (const group of plan.groups) {
      const candidates = group.candidates.filter(keep);
      if (candidates.length > 0) groups.push(candidates.length === group.candidates.length ? group : { ...group, candidates });
    }
    if (!removed) return plan;
    if (groups.length === 0) throw firstRefusal;
    const only = plan.only?.filter((candidate) => groups.some((group) => group.candidates.includes(candidate)));
    return { ...plan, groups, only: only !== undefined && only.length > 0 ? only : undefined };
  }
}
