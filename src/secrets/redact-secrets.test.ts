/**
 * @module discovery/redact-secrets.test
 * Secrets echoed by an upstream are removed from diagnoses.
 */
import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact-secrets.js";

describe("redactSecrets", () => {
  it("replaces every occurrence of every secret", () => {
    expect(redactSecrets("Bearer sk-abc123 and sk-abc123 via ref-x", ["sk-abc123", "ref-x"])).toBe("Bearer [redacted] and [redacted] via [redacted]");
  });

  it("removes a longer secret whole when a shorter one is part of it", () => {
    expect(redactSecrets("key sk-abcdef", ["abcd", "sk-abcdef"])).toBe("key [redacted]");
  });

  it("leaves text alone for secrets too short to replace safely", () => {
    expect(redactSecrets("a b c", ["a"])).toBe("a b c");
  });
});
