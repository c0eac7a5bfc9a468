/**
 * @module server/admin/session-endpoint
 * `/api/session`, the console's login: GET says whether a login is needed and whether this browser
 * has one; POST trades the admin key for an HttpOnly, SameSite=Strict session cookie; DELETE ends
 * it. Reachable without the admin key (it is how one logs in), but not cross-site or by a foreign Host.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { clearedSessionCookie, readSessionCookie, sessionCookie } from "../../auth/admin-sessions.js";
import { cameOverTls, type InboundAccess } from "../../auth/inbound-access.js";
import { GatewayError } from "../../errors/gateway-error.js";
import { parseJsonObject, requireJson } from "../openai/json-endpoint.js";
import { readBody } from "../read-body.js";
import { sendJson } from "../send.js";
import { validate } from "./admin-api.js";

/** The path this module serves. */
export const SESSION_PATH = "/api/session";

/** A login body is one key; anything larger is not a login. */
const MAX_LOGIN_BODY_BYTES = 4 * 1024;

const loginSchema = z.strictObject({ admin_key: z.string().min(1).max(1_024) });

/** Answers one request to `/api/session`. */
export async function handleSession(access: InboundAccess, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const secure = cameOverTls(request);
  switch (request.method) {
    case "GET":
      sendJson(response, 200, { auth_required: access.authRequired, authenticated: access.isAdmin(request) }, { "cache-control": "no-store" });
      return;
    case "POST": {
      requireJson(request);
      const { admin_key: adminKey } = validate(loginSchema, parseJsonObject(await readBody(request, MAX_LOGIN_BODY_BYTES)).value);
      access.verifyAdminKey(request, adminKey);
      const token = access.sessions.create();
      response.writeHead(204, { "set-cookie": sessionCookie(token, access.sessions.ttlSeconds, secure), "cache-control": "no-store" });
      response.end();
      return;
    }
    case "DELETE": {
      const token = readSessionCookie(request.headers.cookie);
      if (token !== undefined) access.sessions.revoke(token);
      response.writeHead(204, { "set-cookie": clearedSessionCookie(secure), "cache-control": "no-store" });
      response.end();
      return;
    }
    default:
      throw new GatewayError("method_not_allowed", `Method ${request.method ?? ""} is not allowed on ${SESSION_PATH}; use GET, POST, DELETE.`, { headers: { allow: "GET, POST, DELETE" } });
  }
}
