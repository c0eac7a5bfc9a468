/**
 * @module server/create-request-handler
 * The HTTP front door: a route table over `node:http` (no framework: the measurements in
 * shared/reference/gateway-overhead-measurements.md show a framework costing several times the
 * proxying itself). Unknown routes get 404, wrong methods 405, every failure an OpenAI error body.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { GatewayError } from "../errors/gateway-error.js";
import { asGatewayError } from "../errors/openai-error-body.js";
import type { Endpoint } from "../providers/types.js";
import type * as AdminEntry from "./admin/admin-entry.js";
import { isConsolePath, serveConsole } from "./console-static.js";
import { handleJsonEndpoint } from "./openai/json-endpoint.js";
import { handleGetModel, handleListModels } from "./openai/models-endpoint.js";
import { handleTranscriptions } from "./openai/transcriptions-endpoint.js";
import { sendError, sendJson } from "./send.js";
import type { ServerContext } from "./server-context.js";

type Handler = (context: ServerContext, request: IncomingMessage, response: ServerResponse, rest: string) => Promise<unknown> | void;

type MethodTable = Readonly<Partial<Record<string, Handler>>>;

function json(endpoint: Endpoint): MethodTable {
  return { POST: (context, request, response) => handleJsonEndpoint(endpoint, context, request, response) };
}

const EXACT_ROUTES = new Map<string, MethodTable>([
  ["/v1/chat/completions", json("chat")],
  ["/v1/completions", json("completions")],
  ["/v1/embeddings", json("embeddings")],
  ["/v1/audio/speech", json("speech")],
  ["/v1/audio/transcriptions", { POST: handleTranscriptions }],
  ["/v1/models", { GET: (context, request, response) => handleListModels(context, response, request) }],
  ["/health", { GET: (_context, _request, response) => sendJson(response, 200, { status: "ok" }) }],
]);

const MODEL_PREFIX = "/v1/models/";
const MODEL_ROUTE: MethodTable = { GET: (context, request, response, rest) => handleGetModel(context, response, rest, request) };

/**
 * Finds the methods for a path. Clients configured with a base URL that lacks `/v1` (a common
 * slip) call `/chat/completions`; those paths are served too rather than answered with 404.
 */
function lookup(path: string): { table: MethodTable; rest: string } | undefined {
  const exact = EXACT_ROUTES.get(path) ?? (path.startsWith("/v1/") ? undefined : EXACT_ROUTES.get(`/v1${path}`));
  if (exact !== undefined) return { table: exact, rest: "" };
  if (path.startsWith(MODEL_PREFIX) && path.length > MODEL_PREFIX.length) return { table: MODEL_ROUTE, rest: path.slice(MODEL_PREFIX.length) };
  if (path.startsWith("/models/") && path.length > "/models/".length) return { table: MODEL_ROUTE, rest: path.slice("/models/".length) };
  return undefined;
}

let adminModule: Promise<typeof AdminEntry> | undefined;

/** The admin API with its route table registered, imported once. */
function loadAdmin(): Promise<typeof AdminEntry> {
  adminModule ??= import("./admin/admin-entry.js");
  return adminModule;
}

/** Builds the request listener for a server context. */
export function createRequestHandler(context: ServerContext): RequestListener {
  const fail = (response: ServerResponse, error: unknown): void => {
    const gatewayError = asGatewayError(error);
    if (gatewayError.code === "internal_error") context.logger.error({ err: error }, "unhandled error while serving a request");
    if (response.headersSent) response.destroy();
    else sendError(response, gatewayError);
  };

  const maxUrlBytes = context.limits.maxUrlBytes;
  return (request, response) => {
    const url = request.url ?? "/";
    if (url.length > maxUrlBytes) {
      // Never quoted back: a long query string is exactly where a pasted key would sit.
      sendError(response, new GatewayError("url_too_long", `The request URL is longer than the limit of ${maxUrlBytes} bytes.`, { headers: { connection: "close" } }));
      return;
    }
    const query = url.indexOf("?");
    const path = query < 0 ? url : url.slice(0, query);
    if (path.startsWith("/api/")) {
      // Loaded on first use: the admin API's validation (zod) is not needed to serve /v1 traffic.
      loadAdmin()
        .then((admin) => admin.handleAdminEntry(context.access, context.admin, request, response, path))
        .catch((error: unknown) => fail(response, error));
      return;
    }
    const match = lookup(path);
    if (match === undefined) {
      const notFound = (): void => sendError(response, new GatewayError("route_not_found", `Unknown route: ${request.method ?? "GET"} ${path}.`));
      // Every other GET is the web console's (its files, or index.html for its client-side routes).
      if ((request.method === "GET" || request.method === "HEAD") && isConsolePath(path)) {
        serveConsole(request, response, path).then((served) => (served ? undefined : notFound()), (error: unknown) => fail(response, error));
        return;
      }
      notFound();
      return;
    }
    const handler = match.table[request.method ?? "GET"];
    if (handler === undefined) {
      const allowed = Object.keys(match.table).join(", ");
      sendError(response, new GatewayError("method_not_allowed", `Method ${request.method ?? ""} is not allowed on ${path}; use ${allowed}.`, { headers: { allow: allowed } }));
      return;
    }
    if (context.shuttingDown) {
      sendError(response, new GatewayError("shutting_down", "Switchyard is shutting down; retry on another instance.", { headers: { connection: "close" } }));
      return;
    }
    try {
      // Everything but /health needs a gateway key when keys are in use (docs/security.md).
      if (path !== "/health") context.access.authenticateClient(request);
      const pending = handler(context, request, response, match.rest);
      if (pending !== undefined) pending.catch((error: unknown) => fail(response, error));
    } catch (error) {
      fail(response, error);
    }
  };
}
