/**
 * @module server/server-context
 * What request handlers share: the current gateway state (swapped on reload), limits, the logger
 * and the in-flight registry.
 */
import type { InboundAccess } from "../auth/inbound-access.js";
import type { GatewayState } from "../gateway/gateway-state.js";
import type { Logger } from "../observability/logger.js";
import type { AdminServices } from "./admin/admin-api.js";
import type { InFlightRequests } from "./in-flight.js";

/** Size limits for inbound requests. */
export interface RequestLimits {
  /** JSON bodies on `/v1` (the admin API has its own, MAX_ADMIN_BODY_BYTES). */
  readonly maxBodyBytes: number;
  /** Multipart uploads (transcriptions). */
  readonly maxUploadBytes: number;
  /** Request target (path and query); longer ones get 414. */
  readonly maxUrlBytes: number;
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
  /** Admin key, sessions, gateway keys and Host/Origin checks (docs/security.md). */
  readonly access: InboundAccess;
}
