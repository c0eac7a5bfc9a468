/**
 * @module upstream/classify-failure.test
 * Network failures and timeouts become 502/504 errors whose messages name the provider and host in
 * plain words, and never carry the provider's key, even when the underlying error text does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errors as undiciErrors } from "undici";
import { resolveProviders } from "../config/resolve-providers.js";
import { GatewayError } from "../errors/gateway-error.js";
import { OutboundForbiddenError } from "../security/outbound-policy.js";
import { UpstreamAbort } from "./abort-reason.js";
import { classifyUpstreamFailure } from "./classify-failure.js";
import { PoolRegistry } from "./pool-registry.js";
import { buildUpstreamTarget, type UpstreamTarget } from "./upstream-target.js";

const KEY = "sk-classify-secret-9f8e7d6c5b4a";
const HOST = "127.0.0.1:9";

let pools: PoolRegistry;
let target: UpstreamTarget;

beforeAll(() => {
  pools = new PoolRegistry();
  const config = {
    providers: { "my-vllm": { kind: "vllm", baseUrl: `http://${HOST}/v1`, apiKey: KEY } },
    timeouts: { connectMs: 111, firstByteMs: 222, idleMs: 333, totalMs: 444 },
  };
  const settings = resolveProviders(config, {}).find((provider) => provider.name === "my-vllm");
  if (settings === undefined) throw new Error("provider my-vllm was not resolved");
  target = buildUpstreamTarget(settings, "chat", pools);
});

afterAll(async () => {
  await pools.destroy();
});

/** An error as Node's sockets raise it, with the key in its text to prove it is not relayed. */
function socketError(code: string): Error {
  return Object.assign(new Error(`${code} while sending Authorization: Bearer ${KEY}`), { code });
}

function expectNamesTargetWithoutKey(error: GatewayError): void {
  expect(error.message).toContain("'my-vllm'");
  expect(error.message).toContain(HOST);
  expect(error.message).not.toContain(KEY);
  expect(JSON.stringify({ message: error.message, type: error.type, param: error.param, code: error.clientCode })).not.toContain(KEY);
}

describe("classifyUpstreamFailure", () => {
  it("reports an outbound-policy refusal as 502 upstream_forbidden without naming the address", () => {
    const refusal = new OutboundForbiddenError({ reason: "host", host: "169.254.169.254", category: "metadata", scope: "forbidden", mode: "local" });
    const error = classifyUpstreamFailure(refusal, target);
    expect(error).toMatchObject({ code: "upstream_forbidden", status: 502, type: "server_error" });
    expect(error.message).toBe("The upstream address for provider 'my-vllm' is not allowed by the outbound policy.");
    expect(error.cause).toBe(refusal);
  });

  it("reports a refused connection as 502 upstream_unreachable", () => {
    const error = classifyUpstreamFailure(socketError("ECONNREFUSED"), target);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 502, code: "upstream_unreachable", type: "server_error" });
    expect(error.message).toContain("connection refused");
    expectNamesTargetWithoutKey(error);
  });

  it("finds the socket code on the cause of a wrapping error (fetch failed → ECONNREFUSED)", () => {
    const wrapped = new TypeError("fetch failed", { cause: socketError("ECONNREFUSED") });
    const error = classifyUpstreamFailure(wrapped, target);
    expect(error).toMatchObject({ status: 502, code: "upstream_unreachable" });
    expect(error.message).toContain("connection refused");
  });

  it("reports a host name that does not resolve as 502", () => {
    for (const code of ["ENOTFOUND", "EAI_AGAIN"]) {
      const error = classifyUpstreamFailure(socketError(code), target);
      expect(error).toMatchObject({ status: 502, code: "upstream_unreachable" });
      expect(error.message).toContain("does not resolve");
      expectNamesTargetWithoutKey(error);
    }
  });

  it("reports no route to host as 502", () => {
    const error = classifyUpstreamFailure(socketError("EHOSTUNREACH"), target);
    expect(error).toMatchObject({ status: 502, code: "upstream_unreachable" });
    expect(error.message).toContain("no route to host");
  });

  it("reports a connect timeout as 504 with the connect timeout in the message", () => {
    const error = classifyUpstreamFailure(new undiciErrors.ConnectTimeoutError(`connect to ${KEY}`), target);
    expect(error).toMatchObject({ status: 504, code: "upstream_timeout", type: "server_error" });
    expect(error.message).toContain("111 ms");
    expectNamesTargetWithoutKey(error);
  });

  it("reports a first-byte (headers) timeout as 504 with the first-byte timeout", () => {
    const error = classifyUpstreamFailure(new undiciErrors.HeadersTimeoutError(), target);
    expect(error).toMatchObject({ status: 504, code: "upstream_timeout" });
    expect(error.message).toContain("222 ms");
    expectNamesTargetWithoutKey(error);
  });

  it("reports an idle (body) timeout as 504 with the idle timeout", () => {
    const error = classifyUpstreamFailure(new undiciErrors.BodyTimeoutError(), target);
    expect(error).toMatchObject({ status: 504, code: "upstream_timeout" });
    expect(error.message).toContain("333 ms");
    expectNamesTargetWithoutKey(error);
  });

  it("reports the total deadline abort as 504 with the total timeout", () => {
    const error = classifyUpstreamFailure(new UpstreamAbort("total-timeout"), target);
    expect(error).toMatchObject({ status: 504, code: "upstream_timeout" });
    expect(error.message).toContain("444 ms");
    expectNamesTargetWithoutKey(error);
  });

  it("reports a shutdown abort as 503 shutting_down", () => {
    const error = classifyUpstreamFailure(new UpstreamAbort("shutdown"), target);
    expect(error).toMatchObject({ status: 503, code: "shutting_down" });
    expectNamesTargetWithoutKey(error);
  });

  it("reports a reset or closed connection as 502", () => {
    for (const failure of [socketError("ECONNRESET"), socketError("EPIPE"), new undiciErrors.SocketError(`other side closed ${KEY}`)]) {
      const error = classifyUpstreamFailure(failure, target);
      expect(error).toMatchObject({ status: 502, code: "upstream_unreachable" });
      expect(error.message).toContain("closed unexpectedly");
      expectNamesTargetWithoutKey(error);
    }
  });

  it("reports TLS failures as 502 naming the TLS code", () => {
    for (const code of ["ERR_TLS_CERT_ALTNAME_INVALID", "DEPTH_ZERO_SELF_SIGNED_CERT", "CERT_HAS_EXPIRED", "UNABLE_TO_VERIFY_LEAF_SIGNATURE"]) {
      const error = classifyUpstreamFailure(socketError(code), target);
      expect(error).toMatchObject({ status: 502, code: "upstream_unreachable" });
      expect(error.message).toContain("TLS error");
      expect(error.message).toContain(code);
      expectNamesTargetWithoutKey(error);
    }
  });

  it("reports an HTTP parser error as 502 upstream_bad_response", () => {
    const error = classifyUpstreamFailure(socketError("HPE_INVALID_CONSTANT"), target);
    expect(error).toMatchObject({ status: 502, code: "upstream_bad_response" });
    expect(error.message).toContain("not valid HTTP");
    expectNamesTargetWithoutKey(error);
  });

  it("reports an unknown failure as 502 with its code but not its text", () => {
    const error = classifyUpstreamFailure(socketError("EWEIRD"), target);
    expect(error).toMatchObject({ status: 502, code: "upstream_unreachable" });
    expect(error.message).toContain("EWEIRD");
    expectNamesTargetWithoutKey(error);
  });

  it("reports a failure with no code at all as 502 without its text", () => {
    const error = classifyUpstreamFailure(new Error(`boom ${KEY}`), target);
    expect(error).toMatchObject({ status: 502 });
    expectNamesTargetWithoutKey(error);
  });

  it("passes a GatewayError through unchanged", () => {
    const original = new GatewayError("upstream_bad_response", "already classified");
    expect(classifyUpstreamFailure(original, target)).toBe(original);
  });

  it("keeps the original error as the cause for the server log", () => {
    const failure = socketError("ECONNREFUSED");
    expect(classifyUpstreamFailure(failure, target).cause).toBe(failure);
  });
});
