/**
 * @module server/server-context
 * What request handlers share: the current gateway state (swapped on reload), limits, the logger
 * and the in-flight registry.
 */
import type { GatewayState } from "../gateway/gateway-state.js";
import type { Logger } from "../observability/logger.js";
import type { AdminServices } from "./admin/admin-api.js";
import type { InFlightRequests } from "./in-flight.js";

/** Body limits for inbound requests. */
export interface RequestLimits {
  readonly maxBodyBytes: number;
  readonly maxUploadBytes: number;
}

/** Shared by every handler of one server. */
export interface ServerContext {
  /** Replaced as a whole when the config reloads; read it once per request. */
  state: GatewayState;
  readonly limits: RequestLimits;
  readonly logger: Logger;
  readonly inFlight: InFlightRequests;
  /** Set once shutdown begins: new requests get 503. */
  shuttingDown: boolean;
  /** Admin API services; absent when the gateway has no store. */
  readonly admin: AdminServices | undefined;
}
