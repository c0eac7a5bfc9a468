/**
 * @module cli/gateway-client
 * Asks a running gateway's admin API (for state only it holds: breakers, latencies, rate limits).
 * The URL comes from `--url`, `SWITCHYARD_URL`, or the config's server host and port; the admin key
 * from `SWITCHYARD_ADMIN_KEY`. A gateway that does not answer quickly counts as not running.
 */
import type { SwitchyardConfig } from "../config/config-schema.js";
import { DEFAULT_HOST, DEFAULT_PORT } from "../defaults.js";
import { CliError } from "./cli-error.js";
import { stringFlag } from "./command-helpers.js";
import type { CommandInput } from "./run-cli.js";

/** How long a local gateway gets to answer before it counts as not running. */
const GATEWAY_PROBE_TIMEOUT_MS = 1_500;

/** The running gateway's base URL (no trailing slash). */
export function gatewayUrl(input: CommandInput, config: SwitchyardConfig): string {
  const explicit = stringFlag(input, "url") ?? input.env["SWITCHYARD_URL"];
  if (explicit !== undefined && explicit !== "") return explicit.replace(/\/+$/, "");
  const host = config.server?.host ?? DEFAULT_HOST;
  // A server bound to every interface is reached on loopback.
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${reachable}:${config.server?.port ?? DEFAULT_PORT}`;
}

function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** The admin API answers in snake_case; the CLI's types are camelCase. */
function toCamelCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCamelCase);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [camelKey(key), toCamelCase(entry)]));
}

/**
 * Calls the admin API of a running gateway. Undefined when nothing answers there; a CliError with
 * the gateway's own message when it answers with an error (unknown model, wrong admin key…).
 */
export async function askRunningGateway<T>(input: CommandInput, baseUrl: string, method: "GET" | "POST", path: string, body?: unknown): Promise<T | undefined> {
  const headers: Record<string, string> = {};
  const adminKey = input.env["SWITCHYARD_ADMIN_KEY"];
  if (adminKey !== undefined && adminKey !== "") headers["authorization"] = `Bearer ${adminKey}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(GATEWAY_PROBE_TIMEOUT_MS),
    });
  } catch {
    return undefined;
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Something else listens there (not a Switchyard): treat it as no gateway.
    return undefined;
  }
  if (!response.ok) {
    const message = (parsed as { error?: { message?: unknown } }).error?.message;
    throw new CliError(`The gateway at ${baseUrl} answered ${response.status}: ${typeof message === "string" ? message : text.slice(0, 200)}`);
  }
  return toCamelCase(parsed) as T;
}
