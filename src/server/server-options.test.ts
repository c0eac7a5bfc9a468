/**
 * @module server/server-options.test
 * Slow-client and size settings for node:http come from the config or the defaults, stay valid
 * together, and are checked often enough to matter.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_HEADER_BYTES, SERVER_CONNECTIONS_CHECK_INTERVAL_MS, SERVER_HEADERS_TIMEOUT_MS, SERVER_KEEP_ALIVE_TIMEOUT_MS, SERVER_REQUEST_TIMEOUT_MS } from "../defaults.js";
import { httpServerOptions } from "./server-options.js";

describe("httpServerOptions", () => {
  it("uses the defaults without a server section", () => {
    expect(httpServerOptions(undefined)).toEqual({
      keepAliveTimeout: SERVER_KEEP_ALIVE_TIMEOUT_MS,
      headersTimeout: SERVER_HEADERS_TIMEOUT_MS,
      requestTimeout: SERVER_REQUEST_TIMEOUT_MS,
      maxHeaderSize: DEFAULT_MAX_HEADER_BYTES,
      connectionsCheckingInterval: SERVER_CONNECTIONS_CHECK_INTERVAL_MS,
    });
  });

  it("takes configured values, and checks short timeouts often enough to enforce them", () => {
    const options = httpServerOptions({ headersTimeoutMs: 200, requestTimeoutMs: 400, keepAliveTimeoutMs: 1_000, maxHeaderBytes: 4_096 });
    expect(options).toMatchObject({ headersTimeout: 200, requestTimeout: 400, keepAliveTimeout: 1_000, maxHeaderSize: 4_096 });
    expect(options.connectionsCheckingInterval).toBe(50);
  });

  it("never lets the headers timeout exceed the request timeout (node:http would throw)", () => {
    expect(httpServerOptions({ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 })).toMatchObject({ headersTimeout: 1_000, requestTimeout: 1_000 });
  });
});
