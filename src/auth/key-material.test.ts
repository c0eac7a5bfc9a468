import { describe, expect, it } from "vitest";
import { ADMIN_KEY_PREFIX, GATEWAY_KEY_PREFIX, displayPrefix, generateAdminKey, generateGatewayKey, isGatewayKeyFormat, randomBase62 } from "./key-material.js";

describe("key material", () => {
  it("generates gateway keys as sk-sy- plus 43 base62 characters (256 bits)", () => {
    const key = generateGatewayKey();
    expect(key).toMatch(/^sk-sy-[0-9A-Za-z]{43}$/);
    expect(key.startsWith(GATEWAY_KEY_PREFIX)).toBe(true);
    expect(isGatewayKeyFormat(key)).toBe(true);
    expect(43 * Math.log2(62)).toBeGreaterThanOrEqual(256);
  });

  it("never generates the same key twice in many draws", () => {
    const keys = new Set(Array.from({ length: 2_000 }, () => generateGatewayKey()));
    expect(keys.size).toBe(2_000);
  });

  it("draws every base62 character with roughly equal frequency (no modulo bias)", () => {
    const counts = new Map<string, number>();
    const sample = randomBase62(62 * 400);
    for (const character of sample) counts.set(character, (counts.get(character) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(250);
      expect(count).toBeLessThan(550);
    }
  });

  it("generates admin keys that are not mistaken for gateway keys", () => {
    const key = generateAdminKey();
    expect(key).toMatch(/^sy-admin-[0-9A-Za-z]{43}$/);
    expect(key.startsWith(ADMIN_KEY_PREFIX)).toBe(true);
    expect(isGatewayKeyFormat(key)).toBe(false);
  });

  it("rejects strings that only look like gateway keys", () => {
    const key = generateGatewayKey();
    expect(isGatewayKeyFormat(`${key}x`)).toBe(false);
    expect(isGatewayKeyFormat(key.slice(0, -1))).toBe(false);
    expect(isGatewayKeyFormat(`${key.slice(0, -1)}-`)).toBe(false);
    expect(isGatewayKeyFormat(` ${key}`)).toBe(false);
    expect(isGatewayKeyFormat("sk-proj-abc")).toBe(false);
  });

  it("shows only the prefix and four random characters", () => {
    const key = generateGatewayKey();
    expect(displayPrefix(key)).toBe(key.slice(0, 10));
    expect(displayPrefix(key)).toHaveLength("sk-sy-".length + 4);
  });
});

describe("redaction of generated keys", () => {
  it("scrubs gateway keys and admin keys from free text", async () => {
    const { scrubSecretPatterns } = await import("../secrets/secret-patterns.js");
    const gateway = generateGatewayKey();
    const admin = generateAdminKey();
    const scrubbed = scrubSecretPatterns(`keys ${gateway} and ${admin} leaked`);
    expect(scrubbed).not.toContain(gateway);
    expect(scrubbed).not.toContain(admin);
  });
});
