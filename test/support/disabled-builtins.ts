/**
 * @module test/support/disabled-builtins
 * The built-in local kinds that are on with zero configuration, declared disabled, so a test
 * gateway never asks their default ports on this machine (`/v1/models`, start-up probes).
 */
import type { SwitchyardConfig } from "../../src/config/config-schema.js";

/** Spread into a test config's `providers`. */
export const DISABLED_BUILTINS: NonNullable<SwitchyardConfig["providers"]> = {
  ollama: { kind: "ollama", enabled: false },
  lm_studio: { kind: "lm_studio", enabled: false },
  vllm: { kind: "vllm", enabled: false },
  llamacpp: { kind: "llamacpp", enabled: false },
  "openai-compat": { kind: "openai-compat", enabled: false },
};
