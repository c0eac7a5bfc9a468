/**
 * @module discovery/diagnose-network-failure.test
 * Connection failures become a stable code and a sentence naming host and port; the error's own
 * text (which could carry request details) is never repeated.
 */
import { describe, expect, it } from "vitest";
import { errors as undiciErrors } from "undici";
import { diagnoseNetworkFailure, errorCode } from "./diagnose-network-failure.js";
import { OutboundForbiddenError } from "../security/outbound-policy.js";

const KEY = "sk-network-secret-0a1b2c3d";
const context = { url: new URL("http://127.0.0.1:11434/api/tags"), connectTimeoutMs: 111, deadlineMs: 999, deadlineExpired: false };

function socketError(code: string): Error {
  return Object.assign(new Error(`${code} while sending Authorization: Bearer ${KEY}`), { code });
}

describe("diagnoseNetworkFailure", () => {
  it.each([
    ["ECONNREFUSED", "refused", "Nothing is listening at 127.0.0.1:11434"],
    ["ENOTFOUND", "dns", "does not resolve"],
    ["EAI_AGAIN", "dns", "does not resolve"],
    ["EHOSTUNREACH", "unreachable", "no route"],
    ["ECONNRESET", "unreachable", "closed the connection"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", "tls", "use http:// instead of https://"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "tls", "self-signed"],
    ["CERT_HAS_EXPIRED", "tls", "expired"],
    ["HPE_INVALID_CONSTANT", "bad_response", "not HTTP"],
    ["EWHATEVER", "unreachable", "(EWHATEVER)"],
  ] as const)("maps %s to %s", (code, expected, phrase) => {
    const error = diagnoseNetworkFailure(socketError(code), context);
    expect(error.code).toBe(expected);
    expect(error.message).toContain(phrase);
    expect(error.message).not.toContain(KEY);
    expect(error.status).toBeUndefined();
  });

  it("explains an outbound-policy refusal from the refusal itself, never from request data", () => {
    const refusal = new OutboundForbiddenError({ reason: "resolved", host: "gpu.test", address: "169.254.169.254", category: "metadata", scope: "forbidden", mode: "local" });
    const error = diagnoseNetworkFailure(refusal, context);
    expect(error.code).toBe("outbound_forbidden");
    expect(error.message).toBe("Switchyard did not connect to 127.0.0.1:11434: gpu.test resolves to 169.254.169.254, a cloud metadata address, which Switchyard never connects to.");
  });

  it("reports undici's connect timeout with the limit that applied", () => {
    const error = diagnoseNetworkFailure(new undiciErrors.ConnectTimeoutError(), context);
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("111 ms");
  });

  it("reports a missing answer as a timeout", () => {
    expect(diagnoseNetworkFailure(new undiciErrors.HeadersTimeoutError(), context).code).toBe("timeout");
  });

  it("reports the overall deadline whatever the error looks like", () => {
    const error = diagnoseNetworkFailure(new Error("This operation was aborted"), { ...context, deadlineExpired: true });
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("999 ms");
  });

  it("finds codes on wrapped causes", () => {
    expect(errorCode(new Error("outer", { cause: socketError("ECONNREFUSED") }))).toBe("ECONNREFUSED");
  });
});
