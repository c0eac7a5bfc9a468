/**
 * @module server/admin/admin-entry
 * The front of everything under `/api/`: refuses cross-site requests and foreign Host headers,
 * serves the session (login) endpoint, requires the admin key (or a session) when one is set, and
 * hands the rest to the admin route table. Loaded on first use with the route table.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { InboundAccess } from "../../auth/inbound-access.js";
import { handleAdminRequest, type AdminServices } from "./admin-api.js";
import "./admin-routes.js";
import "./key-routes.js";
import "./routing-routes.js";
import { SESSION_PATH, handleSession } from "./session-endpoint.js";

/** Handles a request whose path starts with `/api/`. */
export async function handleAdminEntry(access: InboundAccess, services: AdminServices | undefined, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  access.checkAdminSource(request);
  if (path === SESSION_PATH) return handleSession(access, request, response);
  access.requireAdmin(request);
  return handleAdminRequest(services, request, response, path);
}
