/**
 * @module discovery/discover-models.test
 * The pure parts of discovery: repeated ids are dropped and the list is capped.
 */
import { describe, expect, it } from "vitest";
import { finalizeModels } from "./discover-models.js";
import { MAX_DISCOVERED_MODELS } from "./discovery-limits.js";
import type { DiscoveredModel } from "./discovery-types.js";

describe("finalizeModels", () => {
  it("keeps the first of repeated ids", () => {
    const models: DiscoveredModel[] = [
      { id: "a", type: "chat", displayName: "first" },
      { id: "a", type: "chat", displayName: "second" },
      { id: "b", type: "embedding" },
    ];
    expect(finalizeModels(models)).toEqual([
      { id: "a", type: "chat", displayName: "first" },
      { id: "b", type: "embedding" },
    ]);
  });

  it(`stops at ${MAX_DISCOVERED_MODELS} models`, () => {
    const models = Array.from({ length: MAX_DISCOVERED_MODELS + 5 }, (_, index): DiscoveredModel => ({ id: `m${index}`, type: "chat" }));
    expect(finalizeModels(models)).toHaveLength(MAX_DISCOVERED_MODELS);
  });
});
