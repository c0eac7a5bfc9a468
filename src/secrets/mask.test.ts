import { describe, expect, it } from "vitest";
import { maskSecret } from "./mask.js";

describe("maskSecret", () => {
  it("keeps the vendor prefix and the last four characters", () => {
    expect(maskSecret("sk-proj-abcdefghijklmnop1234")).toBe("sk-…1234");
    expect(maskSecret("gsk_abcdefghijklmnopqrstuvwxyz9876")).toBe("gsk…9876");
  });

  it("shows nothing of a short secret", () => {
    expect(maskSecret("ollama")).toBe("…");
    expect(maskSecret("EMPTY")).toBe("…");
  });

  it("renders no secret as an empty string", () => {
    expect(maskSecret(undefined)).toBe("");
    expect(maskSecret("")).toBe("");
  });
});
