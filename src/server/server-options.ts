/**
 * @module server/server-options
 * node:http server settings that protect against slow and oversized clients: how long a client may
 * take to send its headers and its whole request, how long idle keep-alive sockets stay open, and
 * how large the request line plus headers may be. Values come from the config's `server` section,
 * else from defaults.ts.
 */
import type { ServerOptions } from "node:http";
import type { SwitchyardConfig } from "../config/config-schema.js";
import {
  DEFAULT_MAX_HEADER_BYTES,
  SERVER_CONNECTIONS_CHECK_INTERVAL_MS,
  SERVER_HEADERS_TIMEOUT_MS,
  SERVER_KEEP_ALIVE_TIMEOUT_MS,
  SERVER_REQUEST_TIMEOUT_MS,
} from "../defaults.js";

/** Smallest check interval: shorter only burns CPU, even for the short timeouts tests use. */
const MIN_CHECK_INTERVAL_MS = 10;

/** The options for `createServer`, from the config's `server` section. */
export function httpServerOptions(server: SwitchyardConfig["server"]): ServerOptions {
  const requestTimeout = server?.requestTimeoutMs ?? SERVER_REQUEST_TIMEOUT_MS;
  // node:http refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(server?.headersTimeoutMs ?? SERVER_HEADERS_TIMEOUT_MS, requestTimeout);
  return {
    keepAliveTimeout: server?.keepAliveTimeoutMs ?? SERVER_KEEP_ALIVE_TIMEOUT_MS,
    headersTimeout,
    requestTimeout,
    maxHeaderSize: server?.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
    // Timeouts are enforced only at these checks, so a short timeout needs a short interval.
    connectionsCheckingInterval: Math.max(MIN_CHECK_INTERVAL_MS, Math.min(SERVER_CONNECTIONS_CHECK_INTERVAL_MS, Math.floor(headersTimeout / 4))),
  };
}
