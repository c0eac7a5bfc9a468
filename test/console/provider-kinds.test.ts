/**
 * @module test/console/provider-kinds.test
 * The console ships its own list of provider kinds (the admin API has no route listing them); this
 * keeps it in step with the registry the server uses.
 */
import { describe, expect, it } from "vitest";
import { PROVIDER_KINDS as CONSOLE_KINDS } from "../../console/src/provider-kinds.js";
import { PROVIDER_KINDS } from "../../src/providers/registry.js";

describe("the console's provider kinds", () => {
  it("lists every registry kind, in the registry's order", () => {
    expect(CONSOLE_KINDS.map((kind) => kind.id)).toEqual(PROVIDER_KINDS.map((kind) => kind.id));
  });

  it("offers each kind's default base URL, name and local flag", () => {
    for (const kind of PROVIDER_KINDS) {
      const shown = CONSOLE_KINDS.find((entry) => entry.id === kind.id);
      expect(shown, kind.id).toMatchObject({ defaultBaseUrl: kind.defaults.baseUrl, name: kind.displayName, local: kind.local });
    }
  });

  it("gives the generic kind per-service URLs and Azure its resource fields", () => {
    expect(CONSOLE_KINDS.find((kind) => kind.id === "openai-compat")?.form).toBe("services");
    expect(CONSOLE_KINDS.find((kind) => kind.id === "azure")?.form).toBe("azure");
  });
});
