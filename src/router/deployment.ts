/**
 * @module router/deployment
 * The unit the router chooses between: one upstream model behind one credential (SPEC §5). A model
 * id or alias resolves to several of these; strategies order them, breakers and limits skip them.
 */

/** One place a request for a model can be sent. */
export interface Deployment {
  /** Stable, header-safe id shown in `x-switchyard-deployment`, e.g. `box/llama@vllm-2`. */
  readonly id: string;
  /** The provider (credential) name the call goes through. */
  readonly provider: string;
  /** The model name the upstream receives. */
  readonly upstreamModel: string;
  /** Share of traffic under the weighted strategy; 0 takes traffic only as a fallback. */
  readonly weight: number;
  /** Lower goes first under the priority strategy and breaks ties under the others. */
  readonly priority: number;
}

/** What the load-aware strategies measure about a deployment, read at decision time. */
export interface DeploymentStats {
  /** Calls to this deployment currently under way (in this process). */
  readonly inFlight: number;
  /** Decaying average latency, or undefined while unmeasured (so it is probed first). */
  readonly latencyEwmaMs: number | undefined;
}

/** Looks up a deployment's current stats by id. */
export type StatsLookup = (id: string) => DeploymentStats;
