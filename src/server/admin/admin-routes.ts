/**
 * @module server/admin/admin-routes
 * The admin route table. Literal routes (`env-status`) are listed before parameterised ones.
 */
import {
  createCredentialSchema,
  createModelSchema,
  modelTypeSchema,
  registerModelsSchema,
  setDefaultSchema,
  updateCredentialSchema,
  updateModelSchema,
} from "../../credentials/credential-schemas.js";
import { envStatus, migrateFromEnv } from "../../credentials/env-migration.js";
import { defineAdminRoute as route, validate } from "./admin-api.js";

route("GET", "/api/status", async ({ services }) => ({ body: await services.status() }));

route("GET", "/api/credentials", async ({ services }) => ({ body: { data: await services.credentials.list() } }));
route("POST", "/api/credentials", async ({ services, body }) => ({ status: 201, body: await services.credentials.create(validate(createCredentialSchema, body)) }));
route("GET", "/api/credentials/env-status", async ({ services }) => ({ body: { data: await envStatus(services.credentials, services.env) } }));
route("POST", "/api/credentials/migrate-from-env", async ({ services }) => ({ body: { results: await migrateFromEnv(services.credentials, services.env) } }));
route("GET", "/api/credentials/:id", async ({ services, params }) => ({ body: await services.credentials.get(params["id"] ?? "") }));
route("PATCH", "/api/credentials/:id", async ({ services, params, body }) => ({
  body: await services.credentials.update(params["id"] ?? "", validate(updateCredentialSchema, body)),
}));
route("DELETE", "/api/credentials/:id", async ({ services, params }) => {
  await services.credentials.remove(params["id"] ?? "");
  return { status: 204 };
});
route("POST", "/api/credentials/:id/test", async ({ services, params }) => ({ body: await services.credentials.test(params["id"] ?? "") }));
route("POST", "/api/credentials/:id/discover", async ({ services, params }) => ({ body: { data: await services.credentials.discover(params["id"] ?? "") } }));
route("POST", "/api/credentials/:id/register", async ({ services, params, body }) => ({
  body: await services.models.register(params["id"] ?? "", validate(registerModelsSchema, body)),
}));

route("GET", "/api/models", async ({ services }) => ({ body: { data: await services.models.list() } }));
route("POST", "/api/models", async ({ services, body }) => ({ status: 201, body: await services.models.create(validate(createModelSchema, body)) }));
route("POST", "/api/models/*id/test", async ({ services, params }) => ({ body: await services.models.test(params["id"] ?? "") }));
route("GET", "/api/models/*id", async ({ services, params }) => ({ body: await services.models.get(params["id"] ?? "") }));
route("PATCH", "/api/models/*id", async ({ services, params, body }) => ({ body: await services.models.update(params["id"] ?? "", validate(updateModelSchema, body)) }));
route("DELETE", "/api/models/*id", async ({ services, params }) => {
  await services.models.remove(params["id"] ?? "");
  return { status: 204 };
});

route("GET", "/api/defaults", async ({ services }) => ({ body: await services.models.defaults() }));
route("PUT", "/api/defaults/:type", async ({ services, params, body }) => {
  const type = validate(modelTypeSchema, params["type"]);
  return { body: await services.models.setDefault(type, validate(setDefaultSchema, body).model) };
});
