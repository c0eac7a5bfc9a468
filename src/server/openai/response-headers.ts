/**
 * @module server/openai/response-headers
 * Which upstream response headers reach the client. An allow-list: hop-by-hop headers, cookies
 * and server banners stay behind; content, rate-limit and request-id headers pass.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import type { Route } from "../../gateway/model-router.js";

const PASSED = new Set([
  "content-type",
  "content-length",
  "content-encoding",
  "content-disposition",
  "cache-control",
  "retry-after",
  "retry-after-ms",
  "x-request-id",
]);

function passes(name: string): boolean {
  return PASSED.has(name) || name.startsWith("x-ratelimit-") || name.startsWith("openai-");
}

/** Headers that say which deployment served the request (SPEC §5). */
export function deploymentHeaders(route: Route): OutgoingHttpHeaders {
  return { "x-switchyard-deployment": route.deployment, "x-switchyard-attempts": "1" };
}

/** The client-facing headers for an upstream response (with the deployment headers when a route is given). */
export function relayedHeaders(upstream: IncomingHttpHeaders, route: Route | undefined): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = route === undefined ? {} : deploymentHeaders(route);
  for (const name in upstream) {
    if (passes(name)) headers[name] = upstream[name];
  }
  return headers;
}

/** Headers for a relayed event stream: no length, no caching, no proxy buffering. */
export function eventStreamHeaders(upstream: IncomingHttpHeaders, route: Route): OutgoingHttpHeaders {
  const headers = relayedHeaders(upstream, route);
  delete headers["content-length"];
  headers["cache-control"] = "no-cache";
  // nginx in front of Switchyard would otherwise buffer the stream.
  headers["x-accel-buffering"] = "no";
  return headers;
}

/** True for `text/event-stream` (with or without parameters). */
export function isEventStream(contentType: string | string[] | undefined): boolean {
  return typeof contentType === "string" && contentType.startsWith("text/event-stream");
}
