/**
 * @module config/resolve-wire.test
 * Which wire a provider speaks and how Azure deployments are called, from the config entry and a
 * stored credential's provider fields.
 */
import { describe, expect, it } from "vitest";
import { anthropicKind } from "../providers/anthropic/index.js";
import { azureKind } from "../providers/azure/index.js";
import { openaiKind } from "../providers/openai/index.js";
import { ConfigError } from "./load-config-file.js";
import { resolveWire } from "./resolve-wire.js";

const AZURE_BASE = "https://r.openai.azure.com/openai/v1";

describe("resolveWire", () => {
  it("takes the kind's wire, and openai for kinds without one", () => {
    expect(resolveWire("a", anthropicKind, "https://api.anthropic.com/v1", undefined, undefined, "f").wire).toBe("anthropic-messages");
    expect(resolveWire("o", openaiKind, "https://api.openai.com/v1", undefined, undefined, "f").wire).toBe("openai");
  });

  it("switches anthropic to the OpenAI-compatible endpoint from the config or a stored credential", () => {
    expect(resolveWire("a", anthropicKind, "https://x/v1", { kind: "anthropic", api: "openai-compatible" }, undefined, "f").wire).toBe("openai");
    expect(resolveWire("a", anthropicKind, "https://x/v1", { kind: "anthropic", api: "openai-compatible" }, { api: "native" }, "f").wire).toBe("anthropic-messages");
  });

  it("refuses api on a kind without a native API, as a config error", () => {
    expect(() => resolveWire("o", openaiKind, "https://x/v1", { kind: "openai", api: "native" }, undefined, "f")).toThrow(ConfigError);
  });

  it("builds Azure deployment paths from an api-version and maps model names", () => {
    const { azure } = resolveWire("z", azureKind, AZURE_BASE, { kind: "azure", azure: { apiVersion: "2024-10-21", deployments: { "gpt-4o": "prod-4o" } } }, undefined, "f");
    const deployment = azure?.deployments.deploymentFor("gpt-4o") ?? "";
    expect(deployment).toBe("prod-4o");
    expect(azure?.urls?.url("chat", deployment)).toBe("https://r.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21");
  });

  it("reads the stored fields first, ignoring the console's list of deployment names as a map", () => {
    const { azure } = resolveWire("z", azureKind, AZURE_BASE, { kind: "azure", azure: { apiVersion: "2024-10-21" } }, { api_version: "preview", deployments: ["a", "b"] }, "f");
    expect(azure?.urls?.url("chat", "a")).toBe("https://r.openai.azure.com/openai/v1/chat/completions?api-version=preview");
    expect(azure?.deployments.deploymentFor("a")).toBe("a");
  });

  it("leaves Azure on the plain v1 path when nothing is configured", () => {
    expect(resolveWire("z", azureKind, AZURE_BASE, undefined, undefined, "f")).toEqual({ wire: "azure-openai" });
  });

  it("fails the config load on a bad api-version in the file, but only marks a stored credential unavailable", () => {
    expect(() => resolveWire("z", azureKind, AZURE_BASE, { kind: "azure", azure: { apiVersion: "yesterday" } }, undefined, "f")).toThrow(ConfigError);
    const stored = resolveWire("z", azureKind, AZURE_BASE, undefined, { api_version: "yesterday" }, "f");
    expect(stored.unavailable?.message).toContain("api-version");
  });
});
