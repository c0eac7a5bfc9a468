import { describe, expect, it } from "vitest";
import type { GatewayKeyRecord } from "../store/store-types.js";
import { compileAllowList, GatewayKeyIndex } from "./gateway-key-index.js";
import { KeyHasher } from "./key-hash.js";
import { displayPrefix, generateGatewayKey } from "./key-material.js";

const hasher = new KeyHasher(Buffer.alloc(32, 9));

function record(key: string, overrides: Partial<GatewayKeyRecord> = {}): GatewayKeyRecord {
  return {
    id: `id-${key.slice(-6)}`,
    name: "test",
    keyHash: hasher.hash(key),
    keyPrefix: displayPrefix(key),
    models: null,
    rpm: null,
    tpm: null,
    expiresAt: null,
    revokedAt: null,
    createdAt: "2025-01-01T00:00:00.000Z",
    ...overrides,
  };
}

describe("compileAllowList", () => {
  it("allows everything without a list, exact ids and whole providers with one", () => {
    expect(compileAllowList(null)("anything/at-all")).toBe(true);
    const allows = compileAllowList(["ollama/llama3", "groq/*", "fast"]);
    expect(allows("ollama/llama3")).toBe(true);
    expect(allows("ollama/llama3.1")).toBe(false);
    expect(allows("groq/llama-3.3-70b")).toBe(true);
    expect(allows("groq/")).toBe(false);
    expect(allows("groqx/model")).toBe(false);
    expect(allows("fast")).toBe(true);
    expect(compileAllowList([])("ollama/llama3")).toBe(false);
  });
});

describe("GatewayKeyIndex", () => {
  it("finds live keys by their keyed hash with their limits and allow-list", () => {
    const key = generateGatewayKey();
    const index = new GatewayKeyIndex();
    index.replace(hasher, [record(key, { models: ["ollama/*"], rpm: 5, tpm: 100, expiresAt: "2030-01-01T00:00:00.000Z" })]);
    const found = index.find(key);
    expect(found?.limits).toEqual({ requestsPerMinute: 5, tokensPerMinute: 100 });
    expect(found?.expiresAt).toBe(Date.parse("2030-01-01T00:00:00.000Z"));
    expect(found?.allows("ollama/x")).toBe(true);
    expect(found?.allows("openai/x")).toBe(false);
    expect(index.size).toBe(1);
  });

  it("does not find revoked, unknown or malformed keys", () => {
    const live = generateGatewayKey();
    const revoked = generateGatewayKey();
    const index = new GatewayKeyIndex();
    index.replace(hasher, [record(live), record(revoked, { revokedAt: "2025-02-01T00:00:00.000Z" })]);
    expect(index.size).toBe(1);
    expect(index.find(revoked)).toBeUndefined();
    expect(index.find(generateGatewayKey())).toBeUndefined();
    expect(index.find(live.toUpperCase())).toBeUndefined();
    expect(index.find("")).toBeUndefined();
    expect(index.find(live)?.id).toBe(record(live).id);
  });

  it("finds nothing before it is loaded, and nothing a replaced index no longer holds", () => {
    const key = generateGatewayKey();
    const index = new GatewayKeyIndex();
    expect(index.find(key)).toBeUndefined();
    index.replace(hasher, [record(key)]);
    index.replace(hasher, []);
    expect(index.find(key)).toBeUndefined();
  });

  it("treats an unparseable expiry as expired rather than as no expiry", () => {
    const key = generateGatewayKey();
    const index = new GatewayKeyIndex();
    index.replace(hasher, [record(key, { expiresAt: "garbage" })]);
    expect(index.find(key)?.expiresAt).toBe(0);
  });
});
