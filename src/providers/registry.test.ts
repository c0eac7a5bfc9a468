import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { getProviderKind, PROVIDER_KINDS } from "./registry.js";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

describe("provider registry", () => {
  it("gives every kind a unique id that is a valid model-id prefix", () => {
    const ids = PROVIDER_KINDS.map((kind) => kind.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9_-]*$/);
  });

  it.each(PROVIDER_KINDS.map((kind) => [kind.id, kind] as const))("declares a complete kind: %s", (_id, kind) => {
    const url = new URL(kind.defaults.baseUrl);
    expect(["http:", "https:"]).toContain(url.protocol);
    expect(kind.defaults.baseUrl.endsWith("/")).toBe(false);
    expect(kind.displayName.length).toBeGreaterThan(0);
    expect(kind.endpoints.has("chat")).toBe(true);
    expect(kind.endpoints.has("models")).toBe(true);
    for (const variable of [...(kind.env.baseUrl ?? []), ...(kind.env.apiKey ?? [])]) expect(variable).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(kind.docs).toBeDefined();
    expect(existsSync(`${repositoryRoot}${kind.docs ?? ""}`)).toBe(true);
  });

  it("serves local kinds over loopback by default and cloud kinds over HTTPS", () => {
    for (const kind of PROVIDER_KINDS) {
      const host = new URL(kind.defaults.baseUrl).hostname;
      if (kind.local) expect(["localhost", "127.0.0.1"]).toContain(host);
      else expect(kind.defaults.baseUrl.startsWith("https://")).toBe(true);
    }
  });

  it("only reads an API key variable for cloud kinds, never a base URL variable that apps point at the gateway", () => {
    for (const kind of PROVIDER_KINDS.filter((candidate) => !candidate.local)) {
      expect(kind.env.apiKey?.length ?? 0).toBeGreaterThan(0);
      expect(kind.env.baseUrl ?? []).not.toContain("OPENAI_BASE_URL");
    }
  });

  it("keeps opt-in kinds local and reachable through a base URL variable", () => {
    for (const kind of PROVIDER_KINDS.filter((candidate) => candidate.optIn === true)) {
      expect(kind.local, kind.id).toBe(true);
      expect(kind.env.baseUrl?.length ?? 0, kind.id).toBeGreaterThan(0);
    }
  });

  // Kinds translated from another wire format (Anthropic Messages, Azure deployments) declare their
  // own behaviour in their translators; every OpenAI-wire kind states its parameter rules.
  const TRANSLATED = new Set(["anthropic", "azure"]);

  it.each(PROVIDER_KINDS.filter((kind) => !TRANSLATED.has(kind.id)).map((kind) => [kind.id, kind] as const))(
    "declares well-formed parameter rules, documented on its page: %s",
    (id, kind) => {
      const parameters = kind.parameters;
      expect(parameters, `${id} declares no parameters (use {} for none)`).toBeDefined();
      const rules = [...(parameters?.chat ?? []), ...(parameters?.models ?? []).flatMap((entry) => entry.rules)];
      for (const entry of parameters?.models ?? []) {
        // A global or sticky RegExp keeps state between test() calls and would match every other model.
        expect(entry.match.global || entry.match.sticky, `${id} ${String(entry.match)}`).toBe(false);
      }
      for (const rule of rules) {
        expect(rule.reason.length, `${id} ${rule.action}`).toBeGreaterThan(10);
        if (rule.action === "strip-history") continue;
        expect(rule.parameter).toMatch(/^[a-z][a-z0-9_]*$/);
        if (rule.action === "rename") expect(rule.to).not.toBe(rule.parameter);
        if (rule.action === "move") expect(rule.to.join(".")).not.toBe(rule.parameter);
      }
      const effort = parameters?.reasoningEffort;
      if (effort !== undefined && effort !== "unsupported") {
        expect(effort.source.length).toBeGreaterThan(0);
        if (effort.values !== undefined) expect(effort.values.length).toBeGreaterThan(0);
      }
      if (parameters?.usageAt !== undefined) expect(parameters.streamUsage).toBe("always");
      expect(new Set(parameters?.reasoningOutput ?? []).size).toBe(parameters?.reasoningOutput?.length ?? 0);
      const page = readFileSync(`${repositoryRoot}${kind.docs ?? ""}`, "utf8");
      expect(page, `${kind.docs} needs a "## Parameter rules" section`).toContain("## Parameter rules");
      for (const rule of rules) if (rule.action !== "strip-history") expect(page, `${kind.docs} should name ${rule.parameter}`).toContain(`\`${rule.parameter}\``);
    },
  );

  it("looks kinds up by id", () => {
    expect(getProviderKind("lm_studio")?.displayName).toBe("LM Studio");
    expect(getProviderKind("nope")).toBeUndefined();
  });
});
