/**
 * @module server/json-depth.test
 * Nesting depth is counted per object or array, and the walk stops at the first branch too deep.
 */
import { describe, expect, it } from "vitest";
import { exceedsJsonDepth, minimumCharsToExceed } from "./json-depth.js";

function nested(levels: number, open = "[", close = "]"): unknown {
  return JSON.parse(`${open.repeat(levels)}${close.repeat(levels)}`);
}

describe("exceedsJsonDepth", () => {
  it("accepts exactly the limit and refuses one level more, for arrays and objects", () => {
    expect(exceedsJsonDepth(nested(64), 64)).toBe(false);
    expect(exceedsJsonDepth(nested(65), 64)).toBe(true);
    const objects = (levels: number): unknown => JSON.parse(`${'{"a":'.repeat(levels - 1)}{}${"}".repeat(levels - 1)}`);
    expect(exceedsJsonDepth(objects(64), 64)).toBe(false);
    expect(exceedsJsonDepth(objects(65), 64)).toBe(true);
  });

  it("finds a deep branch beside shallow ones, mixing objects and arrays", () => {
    const deep = JSON.parse(`{"messages":[{"role":"user","content":"hi"}],"tools":${'[{"x":'.repeat(40)}1${"}]".repeat(40)}}`) as unknown;
    expect(exceedsJsonDepth(deep, 64)).toBe(true);
    expect(exceedsJsonDepth(deep, 81)).toBe(false);
  });

  it("is not fooled by brackets inside strings, and treats primitives as depth 0", () => {
    expect(exceedsJsonDepth({ text: "[".repeat(1000) }, 2)).toBe(false);
    expect(exceedsJsonDepth("[[[[", 1)).toBe(false);
    expect(exceedsJsonDepth(null, 0)).toBe(false);
  });

  it("survives a body nested far deeper than any stack allows, returning at the limit", () => {
    expect(exceedsJsonDepth(nested(200_000), 64)).toBe(true);
  });

  it("knows the shortest text that could exceed a limit", () => {
    expect(minimumCharsToExceed(64)).toBe(130);
    expect(JSON.stringify(nested(65)).length).toBe(130);
  });
});
