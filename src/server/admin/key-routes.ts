/**
 * @module server/admin/key-routes
 * `/api/keys`: create (the key is in the 201 answer, once), list, get and revoke gateway keys.
 */
import { createGatewayKeySchema } from "../../auth/gateway-key-schema.js";
import { defineAdminRoute as route, validate } from "./admin-api.js";

route("GET", "/api/keys", async ({ services }) => ({ body: { data: await services.keys.list() } }));
route("POST", "/api/keys", async ({ services, body }) => ({ status: 201, body: await services.keys.create(validate(createGatewayKeySchema, body)) }));
route("GET", "/api/keys/:id", async ({ services, params }) => ({ body: await services.keys.get(params["id"] ?? "") }));
// DELETE revokes rather than erases: the row stays, so lists (and later usage) still name the key.
route("DELETE", "/api/keys/:id", async ({ services, params }) => ({ body: await services.keys.revoke(params["id"] ?? "") }));
