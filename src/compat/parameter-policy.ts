/**
 * @module compat/parameter-policy
 * What the gateway does when a kind's rule would drop a parameter: `drop` it and say so in a
 * response header (the default), `pass` it as the client wrote it (the rule is not applied), or
 * refuse the request with a 400 (`strict`). Set for all parameters or per parameter, in the config
 * file's `parameters.policy` and per provider in `providers.<name>.parameterPolicy` (which wins);
 * `x-switchyard-strict: true` on a request turns every `drop` into `strict` for that request.
 */

/** One parameter's policy. */
export type ParameterPolicy = "pass" | "drop" | "strict";

/** A policy for every parameter, or per parameter name with `*` for the rest. */
export type PolicySetting = ParameterPolicy | Readonly<Record<string, ParameterPolicy>>;

function lookup(setting: PolicySetting | undefined, parameter: string): ParameterPolicy | undefined {
  if (setting === undefined) return undefined;
  if (typeof setting === "string") return setting;
  return setting[parameter] ?? setting["*"];
}

/** Resolves policies for one provider, most specific first. */
export class PolicyTable {
  readonly #provider: PolicySetting | undefined;
  readonly #global: PolicySetting | undefined;
  /** True when any parameter is strict by configuration (so strict checks cannot be skipped). */
  readonly anyStrict: boolean;

  constructor(provider: PolicySetting | undefined, global: PolicySetting | undefined) {
    this.#provider = provider;
    this.#global = global;
    const values = [provider, global].flatMap((setting) => (setting === undefined ? [] : typeof setting === "string" ? [setting] : Object.values(setting)));
    this.anyStrict = values.includes("strict");
  }

  /** The configured policy of a parameter (`drop` unless configured). */
  configured(parameter: string): ParameterPolicy {
    return lookup(this.#provider, parameter) ?? lookup(this.#global, parameter) ?? "drop";
  }

  /** The policy in force for one request; a strict request makes every `drop` strict. */
  effective(parameter: string, strictRequest: boolean): ParameterPolicy {
    const policy = this.configured(parameter);
    return strictRequest && policy === "drop" ? "strict" : policy;
  }
}
