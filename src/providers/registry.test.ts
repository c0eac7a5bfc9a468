import { existsSync } from "node:fs";
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

  it("looks kinds up by id", () => {
    expect(getProviderKind("lm_studio")?.displayName).toBe("LM Studio");
    expect(getProviderKind("nope")).toBeUndefined();
  });
});
