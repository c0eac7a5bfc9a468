/**
 * @module server/admin/routing-routes
 * Admin routes for routing: deployment health, route explain, and routes saved in the store.
 */
import { z } from "zod";
import { routeConfigSchema } from "../../config/config-schema.js";
import { defineAdminRoute as route, validate } from "./admin-api.js";

const explainSchema = z.strictObject({
  model: z.string().min(1),
  endpoint: z.enum(["chat", "completions", "embeddings", "speech", "transcriptions"]).optional(),
});

route("GET", "/api/health/deployments", async ({ services }) => ({ body: { object: "list", data: services.routing.deployments() } }));

route("POST", "/api/route/explain", async ({ services, body }) => {
  const input = validate(explainSchema, body);
  return { body: await services.routing.explain(input.model, input.endpoint ?? "chat") };
});

route("GET", "/api/routes", async ({ services }) => ({ body: { object: "list", data: await services.routing.listRoutes() } }));
route("GET", "/api/routes/:name", async ({ services, params }) => ({ body: await services.routing.getRoute(params["name"] ?? "") }));
route("PUT", "/api/routes/:name", async ({ services, params, body }) => ({
  body: await services.routing.putRoute(params["name"] ?? "", validate(routeConfigSchema, body)),
}));
route("DELETE", "/api/routes/:name", async ({ services, params }) => {
  await services.routing.deleteRoute(params["name"] ?? "");
  return { status: 204 };
});
