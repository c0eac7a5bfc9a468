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

  it("keeps a __proto__ key as a plain field instead of setting the copy's prototype", () => {
    const converted = toSnakeCase(JSON.parse('{"__proto__":{"polluted":true},"nested":{"__proto__":{"polluted":true}}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(converted)).toBe(Object.prototype);
    expect(Object.keys(converted)).toEqual(["__proto__", "nested"]);
    expect((converted as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(converted)).toBe('{"__proto__":{"polluted":true},"nested":{"__proto__":{"polluted":true}}}');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
