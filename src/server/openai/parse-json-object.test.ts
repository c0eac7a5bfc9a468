/**
 * @module server/openai/parse-json-object.test
 * Request bodies: too-deep nesting is a 400, `__proto__` and `constructor` keys are plain data that
 * never reach a prototype, and parse errors never quote the body.
 */
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors/gateway-error.js";
import { MAX_JSON_DEPTH } from "../../defaults.js";
import { parseJsonObject } from "./json-endpoint.js";

function errorOf(text: string): GatewayError {
  try {
    parseJsonObject(Buffer.from(text));
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected parseJsonObject to throw");
}

describe("parseJsonObject", () => {
  it("refuses a body nested deeper than MAX_JSON_DEPTH with 400 json_too_deep", () => {
    const deep = `{"model":"a/b","x":${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}}`;
    const error = errorOf(deep);
    expect(error.status).toBe(400);
    expect(error.code).toBe("json_too_deep");
    expect(error.type).toBe("invalid_request_error");
  });

  it("accepts a body nested exactly MAX_JSON_DEPTH levels", () => {
    const inner = MAX_JSON_DEPTH - 1;
    const { value } = parseJsonObject(Buffer.from(`{"model":"a/b","x":${"[".repeat(inner)}${"]".repeat(inner)}}`));
    expect(value["model"]).toBe("a/b");
  });

  it("keeps __proto__ and constructor keys as own data and pollutes nothing", () => {
    const text = '{"model":"a/b","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"messages":[{"__proto__":{"polluted":true}}]}';
    const { value, text: kept } = parseJsonObject(Buffer.from(text));
    expect(kept).toBe(text);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["model", "__proto__", "constructor", "messages"]);
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect((Object.prototype as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("never quotes the body in a syntax error", () => {
    const error = errorOf('{"model":"a/b","api_key":sk-live-Abc123XyZ987LeakCheck}');
    expect(error.code).toBe("invalid_json");
    expect(error.message).not.toContain("sk-live");
  });
});
