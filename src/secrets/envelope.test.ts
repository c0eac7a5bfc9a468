import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EnvelopeError, envelopeKeyId, isEnvelope, openSecret, sealSecret } from "./envelope.js";

const key = randomBytes(32);
const context = { record: "3f1c8a2e-0000-4000-8000-000000000001", field: "api_key" };

/** Flips one bit in the base64url part at `index` of the envelope. */
function flipPart(envelope: string, index: number): string {
  const parts = envelope.split(".");
  const bytes = Buffer.from(parts[index] ?? "", "base64url");
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

function openFailure(run: () => unknown): EnvelopeError {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error("expected the envelope to fail to open");
}

describe("sealSecret / openSecret", () => {
  it("round-trips a secret in the sy1 format", () => {
    const envelope = sealSecret(key, "abc123def456", "sk-proj-secret", context);
    expect(envelope).toMatch(/^sy1\.abc123def456\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(openSecret(key, envelope, context)).toBe("sk-proj-secret");
  });

  it("uses a fresh IV for every seal", () => {
    const first = sealSecret(key, "k1", "same", context);
    const second = sealSecret(key, "k1", "same", context);
    expect(first.split(".")[2]).not.toBe(second.split(".")[2]);
    expect(first).not.toBe(second);
  });

  it("round-trips unicode and empty plaintexts", () => {
    for (const plaintext of ["", "ключ-🔑-鍵-ü", JSON.stringify({ "X-Title": "Café ☕" })]) {
      expect(openSecret(key, sealSecret(key, "k1", plaintext, context), context)).toBe(plaintext);
    }
  });

  it("fails authentication when the IV, ciphertext or tag is altered", () => {
    const envelope = sealSecret(key, "k1", "sk-proj-secret", context);
    for (const index of [2, 3, 4]) {
      expect(openFailure(() => openSecret(key, flipPart(envelope, index), context)).reason).toBe("unauthenticated");
    }
  });

  it("fails authentication when re-labelled with another key id", () => {
    const envelope = sealSecret(key, "k1", "sk-proj-secret", context);
    const relabelled = envelope.replace(/^sy1\.k1\./, "sy1.k2.");
    expect(openFailure(() => openSecret(key, relabelled, context)).reason).toBe("unauthenticated");
  });

  it("fails authentication when copied to another record or field", () => {
    const envelope = sealSecret(key, "k1", "sk-proj-secret", context);
    expect(openFailure(() => openSecret(key, envelope, { ...context, record: "another-id" })).reason).toBe("unauthenticated");
    expect(openFailure(() => openSecret(key, envelope, { ...context, field: "headers" })).reason).toBe("unauthenticated");
  });

  it("fails authentication with the wrong key", () => {
    const envelope = sealSecret(key, "k1", "sk-proj-secret", context);
    const failure = openFailure(() => openSecret(randomBytes(32), envelope, context));
    expect(failure.reason).toBe("unauthenticated");
    expect(failure.message).not.toContain("sk-proj");
  });

  it("rejects malformed envelopes with a typed error, not a Buffer TypeError", () => {
    const envelope = sealSecret(key, "k1", "sk-proj-secret", context);
    const [version, keyId, iv, ciphertext, tag] = envelope.split(".") as [string, string, string, string, string];
    const malformed = [
      "",
      "sk-plaintext-key",
      "sy1",
      `sy2.${keyId}.${iv}.${ciphertext}.${tag}`,
      `${version}..${iv}.${ciphertext}.${tag}`,
      `${version}.${keyId}.${iv}.${ciphertext}`,
      `${version}.${keyId}.${iv}.${ciphertext}.${tag}.extra`,
      `${version}.${keyId}.${iv.slice(0, 8)}.${ciphertext}.${tag}`,
      `${version}.${keyId}.${iv}.${ciphertext}.${tag.slice(0, 16)}`,
      `${version}.${keyId}.${iv}.${ciphertext}.${tag.slice(0, -1)}!`,
      `${version}.${keyId}.${iv}.${ciphertext}+/.${tag}`,
      `${version}.${keyId}.${iv}.${ciphertext}.${tag}==`,
    ];
    for (const value of malformed) {
      expect(openFailure(() => openSecret(key, value, context)).reason, value).toBe("malformed");
    }
  });

  it("rejects a tag spelled with non-canonical trailing bits", () => {
    const envelope = sealSecret(key, "k1", "sk-proj-secret", context);
    const parts = envelope.split(".");
    const tag = parts[4] ?? "";
    // 16 bytes leave 2 spare bits in the 22nd character; setting one decodes to the same bytes.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(tag.slice(-1));
    parts[4] = `${tag.slice(0, -1)}${alphabet[last ^ 0x01] ?? ""}`;
    expect(Buffer.from(parts[4], "base64url").equals(Buffer.from(tag, "base64url"))).toBe(true);
    expect(openFailure(() => openSecret(key, parts.join("."), context)).reason).toBe("malformed");
  });

  it("refuses keys of the wrong size and ambiguous contexts", () => {
    expect(() => sealSecret(randomBytes(16), "k1", "x", context)).toThrow(RangeError);
    expect(() => sealSecret(key, "bad.id", "x", context)).toThrow(RangeError);
    expect(() => sealSecret(key, "k1", "x", { record: "a|b", field: "c" })).toThrow(RangeError);
  });
});

describe("envelopeKeyId", () => {
  it("reads the key id without decrypting", () => {
    const envelope = sealSecret(key, "0123456789ab", "secret", context);
    expect(envelopeKeyId(envelope)).toBe("0123456789ab");
    expect(isEnvelope(envelope)).toBe(true);
  });

  it("returns undefined for anything that is not an envelope", () => {
    expect(envelopeKeyId("sk-proj-plaintext")).toBeUndefined();
    expect(envelopeKeyId("sy1.k1.x.y.z")).toBeUndefined();
    expect(isEnvelope("")).toBe(false);
  });
});
