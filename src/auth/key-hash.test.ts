import * as crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

// Wrap timingSafeEqual so the tests can see every comparison the module makes.
vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const { DIGEST_BYTES, KeyHasher, digestsEqual } = await import("./key-hash.js");
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);

afterEach(() => timingSafeEqual.mockClear());

describe("KeyHasher", () => {
  const secret = Buffer.alloc(32, 7);

  it("hashes with HMAC-SHA256 under its secret, as base64url", () => {
    const hasher = new KeyHasher(secret);
    const expected = crypto.createHmac("sha256", secret).update("sk-sy-example").digest("base64url");
    expect(hasher.hash("sk-sy-example")).toBe(expected);
    expect(hasher.hash("sk-sy-example")).toHaveLength(43);
  });

  it("gives different hashes under different secrets, so a hash alone confirms nothing", () => {
    expect(new KeyHasher(secret).hash("same")).not.toBe(new KeyHasher(Buffer.alloc(32, 8)).hash("same"));
    expect(KeyHasher.random().hash("same")).not.toBe(KeyHasher.random().hash("same"));
  });

  it("refuses a secret shorter than a digest", () => {
    expect(() => new KeyHasher(Buffer.alloc(16))).toThrow(/at least 32 bytes/);
  });

  it("matches the right value and rejects every other", () => {
    const hasher = new KeyHasher(secret);
    const stored = hasher.hash("the-right-key");
    expect(hasher.matches("the-right-key", stored)).toBe(true);
    expect(hasher.matches("the-right-kez", stored)).toBe(false);
    expect(hasher.matches("", stored)).toBe(false);
    expect(hasher.matches("the-right-key", "damaged")).toBe(false);
  });
});

describe("timing-safe comparison", () => {
  it("compares through crypto.timingSafeEqual on two 32-byte digests, whatever the candidate's length", () => {
    const hasher = new KeyHasher(Buffer.alloc(32, 1));
    const stored = hasher.hash("a-long-stored-secret-value-0123456789");
    for (const candidate of ["x", "a-long-stored-secret-value-0123456789", "y".repeat(10_000)]) hasher.matches(candidate, stored);
    expect(timingSafeEqual).toHaveBeenCalledTimes(3);
    for (const [left, right] of timingSafeEqual.mock.calls) {
      expect((left as Buffer).length).toBe(DIGEST_BYTES);
      expect((right as Buffer).length).toBe(DIGEST_BYTES);
    }
  });

  it("never calls timingSafeEqual with unequal lengths (it would throw and leak the length)", () => {
    expect(digestsEqual("short", crypto.randomBytes(32).toString("base64url"))).toBe(false);
    expect(timingSafeEqual).not.toHaveBeenCalled();
  });

  it("says equal only for identical digests", () => {
    const digest = crypto.randomBytes(32).toString("base64url");
    const other = Buffer.from(digest, "base64url");
    other[31] = (other[31] ?? 0) ^ 1;
    expect(digestsEqual(digest, digest)).toBe(true);
    expect(digestsEqual(digest, other.toString("base64url"))).toBe(false);
  });
});
