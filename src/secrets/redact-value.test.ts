/**
 * @module secrets/redact-value.test
 * Structured log values lose secrets by field name and by value, errors included.
 */
import { describe, expect, it } from "vitest";
import { redactValue } from "./redact-value.js";
import { REDACTED } from "./secret-patterns.js";

describe("redactValue", () => {
  it("replaces secret header and key fields whole, at any depth and in any case", () => {
    const value = { request: { headers: { Authorization: "Bearer x", "x-api-key": "k", accept: "*/*" } }, apiKey: "plain", api_key: "plain2" };
    expect(redactValue(value)).toEqual({ request: { headers: { Authorization: REDACTED, "x-api-key": REDACTED, accept: "*/*" } }, apiKey: REDACTED, api_key: REDACTED });
  });

  it("scrubs stored values and key shapes from every string, in arrays too", () => {
    expect(redactValue({ reasons: ["said storedvalue42", "sk-abcdefghijklmnopqrst"] }, ["storedvalue42"])).toEqual({ reasons: [`said ${REDACTED}`, REDACTED] });
  });

  it("turns errors into plain objects with message, stack and cause scrubbed", () => {
    const cause = Object.assign(new Error("socket to http://u:pw@host failed"), { code: "ECONNRESET" });
    const error = new Error("upstream echoed storedvalue42", { cause });
    const redacted = redactValue({ err: error }, ["storedvalue42"]) as { err: Record<string, unknown> };
    expect(redacted.err["type"]).toBe("Error");
    expect(redacted.err["message"]).toBe(`upstream echoed ${REDACTED}`);
    expect(String(redacted.err["stack"])).not.toContain("storedvalue42");
    expect(redacted.err["cause"]).toMatchObject({ message: `socket to http://${REDACTED}@host failed`, code: "ECONNRESET" });
  });

  it("keeps a __proto__ key as an ordinary field, never as the prototype", () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as unknown;
    const redacted = redactValue(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(Object.keys(redacted)).toEqual(["__proto__", "a"]);
    expect((redacted as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("stops at a cycle instead of looping, and shows buffers by size only", () => {
    const cyclic: Record<string, unknown> = { name: "x" };
    cyclic["self"] = cyclic;
    expect(JSON.stringify(redactValue(cyclic))).toContain("nested too deep");
    expect(redactValue({ body: Buffer.from("sk-abcdefghijklmnopqrstu") })).toEqual({ body: "[24 bytes]" });
  });

  it("passes numbers, booleans and null through", () => {
    expect(redactValue({ a: 1, b: true, c: null })).toEqual({ a: 1, b: true, c: null });
  });
});
