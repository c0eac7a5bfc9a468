import { describe, expect, it } from "vitest";
import { toSnakeCase } from "./snake-case.js";

describe("toSnakeCase", () => {
  it("renames keys at every depth and keeps values", () => {
    expect(toSnakeCase({ latencyMs: 7, lastTest: { modelCount: 2 }, data: [{ displayName: "X", id: "a" }], snake_key: null })).toEqual({
      latency_ms: 7,
      last_test: { model_count: 2 },
      data: [{ display_name: "X", id: "a" }],
      snake_key: null,
    });
  });
});
