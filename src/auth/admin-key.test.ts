import * as crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const { ADMIN_KEY_ENV, adminKeyFromEnv, adminKeyFromHash } = await import("./admin-key.js");
const { KeyHasher } = await import("./key-hash.js");
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);

afterEach(() => timingSafeEqual.mockClear());

const GOOD = "0123456789abcdef0123456789abcdef-admin";

describe("admin key from SWITCHYARD_ADMIN_KEY", () => {
  it("is absent when the variable is unset or blank", () => {
    expect(adminKeyFromEnv({})).toBeUndefined();
    expect(adminKeyFromEnv({ [ADMIN_KEY_ENV]: "  " })).toBeUndefined();
  });

  it("refuses a key shorter than 32 characters with a message saying how to make one", () => {
    expect(() => adminKeyFromEnv({ [ADMIN_KEY_ENV]: "hunter2" })).toThrow(/too short \(7 characters\).*openssl rand -hex 32/);
  });

  it("accepts the key (surrounding whitespace ignored) and nothing else", () => {
    const key = adminKeyFromEnv({ [ADMIN_KEY_ENV]: `${GOOD}\n` });
    expect(key?.source).toBe("env");
    expect(key?.verify(GOOD)).toBe(true);
    expect(key?.verify(` ${GOOD} `)).toBe(true);
    expect(key?.verify(GOOD.slice(0, -1))).toBe(false);
    expect(key?.verify(`${GOOD}x`)).toBe(false);
    expect(key?.verify("")).toBe(false);
  });

  it("compares 32-byte digests in constant time, never the raw key (whose length would leak)", () => {
    const key = adminKeyFromEnv({ [ADMIN_KEY_ENV]: GOOD });
    key?.verify("x");
    key?.verify(GOOD);
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    for (const [left, right] of timingSafeEqual.mock.calls) {
      expect((left as Buffer).length).toBe(32);
      expect((right as Buffer).length).toBe(32);
      expect((left as Buffer).toString("utf8")).not.toContain(GOOD);
    }
  });
});

describe("admin key from a stored hash", () => {
  it("verifies against the keyed hash and is absent for an empty (removed) hash", () => {
    const hasher = new KeyHasher(Buffer.alloc(32, 3));
    const key = adminKeyFromHash(hasher, hasher.hash("sy-admin-generated"));
    expect(key?.source).toBe("store");
    expect(key?.verify("sy-admin-generated")).toBe(true);
    expect(key?.verify("sy-admin-generatee")).toBe(false);
    expect(adminKeyFromHash(hasher, "")).toBeUndefined();
    expect(adminKeyFromHash(hasher, undefined)).toBeUndefined();
  });
});
