/**
 * @module server/admin/admin-api
 * The admin API under `/api`: JSON in and out, every input validated by a strict schema, every
 * error an OpenAI-style body. Credentials, models, defaults, environment migration and status.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import type { Environment } from "../../config/resolve-providers.js";
import type { GatewayKeyService } from "../../auth/gateway-key-service.js";
import type { RoutingAdmin } from "../../gateway/routing-admin.js";
import type { CredentialService } from "../../credentials/credential-service.js";
import { zodIssueDetail } from "../../config/zod-issue.js";
import { MAX_ADMIN_BODY_BYTES } from "../../defaults.js";
import { GatewayError } from "../../errors/gateway-error.js";
import type { ModelService } from "../../credentials/model-service.js";
import { readBody } from "../read-body.js";
import { sendJson } from "../send.js";
import { parseJsonObject, requireJson } from "../openai/json-endpoint.js";
import { compilePattern, matchPattern, type PathPattern } from "./path-pattern.js";
import { toSnakeCase } from "./snake-case.js";


/** What admin handlers work with. */
export interface AdminServices {
  readonly credentials: CredentialService;
  readonly models: ModelService;
  /** Gateway keys (`/api/keys`). */
  readonly keys: GatewayKeyService;
  /** Deployment health, route explain and saved routes. */
  readonly routing: RoutingAdmin;
  readonly env: Environment;
  /** Status shown by `GET /api/status` (encryption key state, store location, providers). */
  readonly status: () => Promise<unknown>;
}

interface HandlerInput {
  readonly services: AdminServices;
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
}

interface HandlerResult {
  readonly status?: number;
  readonly body?: unknown;
}

type Handler = (input: HandlerInput) => Promise<HandlerResult>;

interface Route {
  readonly method: string;
  readonly pattern: PathPattern;
  readonly hasBody: boolean;
  readonly handler: Handler;
}

/** Validates `value` with a strict schema, or throws a 400 listing every problem. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.join(".");
    const detail = zodIssueDetail(issue, "field");
    return path === "" ? detail : `${path}: ${detail}`;
  });
  const first = result.error.issues[0]?.path.join(".");
  throw new GatewayError("invalid_request", `Invalid request: ${problems.join("; ")}.`, first ? { param: first } : {});
}

const routes: Route[] = [];

function route(method: string, pattern: string, handler: Handler): void {
  routes.push({ method, pattern: compilePattern(pattern), hasBody: method === "POST" || method === "PATCH" || method === "PUT", handler });
}

/** Registers the route table; called once by the module that defines the handlers. */
export const defineAdminRoute = route;

/** Handles a request whose path starts with `/api/`. */
export async function handleAdminRequest(services: AdminServices | undefined, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  const segments = path.split("/").filter((segment) => segment !== "");
  const matching = routes.filter((candidate) => matchPattern(candidate.pattern, segments) !== undefined);
  if (matching.length === 0) throw new GatewayError("route_not_found", `Unknown route: ${request.method ?? "GET"} ${path}.`);
  const chosen = matching.find((candidate) => candidate.method === request.method);
  if (chosen === undefined) {
    const allowed = [...new Set(matching.map((candidate) => candidate.method))].join(", ");
    throw new GatewayError("method_not_allowed", `Method ${request.method ?? ""} is not allowed on ${path}; use ${allowed}.`, { headers: { allow: allowed } });
  }
  if (services === undefined) {
    throw new GatewayError("store_unavailable", "This gateway runs without a data directory, so there is no credential store. Start it with a data directory (switchyard serve does by default).");
  }
  let body: unknown = undefined;
  if (chosen.hasBody) {
    const raw = await readBody(request, MAX_ADMIN_BODY_BYTES);
    if (raw.length > 0) {
      requireJson(request);
      body = parseJsonObject(raw).value;
    } else {
      body = {};
    }
  }
  const result = await chosen.handler({ services, params: matchPattern(chosen.pattern, segments) ?? {}, body });
  if (result.status === 204) {
    response.writeHead(204);
    response.end();
    return;
  }
  sendJson(response, result.status ?? 200, toSnakeCase(result.body ?? {}));
}
